package dev.promkit.promql.functions;

/**
 * The calendar functions ({@code minute}, {@code hour}, {@code day_of_week}, {@code day_of_month},
 * {@code day_of_year}, {@code days_in_month}, {@code month}, {@code year}) over Unix seconds in
 * UTC, computed with integer civil-calendar arithmetic so that any input (even NaN or huge values)
 * yields a number instead of an exception.
 */
final class TimeFunctions {
  private TimeFunctions() {}

  /** One calendar field. */
  enum Part {
    MINUTE("minute"),
    HOUR("hour"),
    DAY_OF_WEEK("day_of_week"),
    DAY_OF_MONTH("day_of_month"),
    DAY_OF_YEAR("day_of_year"),
    DAYS_IN_MONTH("days_in_month"),
    MONTH("month"),
    YEAR("year");

    final String functionName;

    Part(String functionName) {
      this.functionName = functionName;
    }

    /** The field of the UTC date-time {@code epochSeconds} (truncated to whole seconds). */
    double of(double epochSeconds) {
      return TimeFunctions.field(this, goInt64(epochSeconds));
    }
  }

  private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /**
   * Go's {@code int64(f)} on amd64: truncation toward zero; NaN and out-of-range values give the
   * "integer indefinite" value {@code Long.MIN_VALUE}.
   */
  static long goInt64(double f) {
    if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) f;
  }

  static double field(Part part, long epochSeconds) {
    long days = Math.floorDiv(epochSeconds, 86400L);
    long secondOfDay = Math.floorMod(epochSeconds, 86400L);
    switch (part) {
      case MINUTE:
        return (secondOfDay / 60) % 60;
      case HOUR:
        return secondOfDay / 3600;
      case DAY_OF_WEEK:
        return Math.floorMod(days + 4, 7L); // 1970-01-01 was a Thursday
      default:
        break;
    }
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), all in long arithmetic.
    long z = days + 719468;
    long era = Math.floorDiv(z, 146097L);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doyFromMarch = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doyFromMarch + 2) / 153;
    long day = doyFromMarch - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    switch (part) {
      case DAY_OF_MONTH:
        return day;
      case MONTH:
        return month;
      case YEAR:
        return year;
      case DAY_OF_YEAR:
        return DAYS_BEFORE_MONTH[(int) month - 1] + day + (leap && month > 2 ? 1 : 0);
      case DAYS_IN_MONTH:
        return DAYS_IN_MONTH[(int) month - 1] + (leap && month == 2 ? 1 : 0);
      default:
        throw new IllegalStateException("unhandled calendar field " + part);
    }
  }
}

/**
 * Go-compatible rendering of float64 values: {@link dev.promkit.promql.format.GoFloat} prints a
 * {@code double} as Go's {@code strconv.FormatFloat(v, 'f'|'e'|'g', -1, 64)} does, with the shortest
 * digits that read back to the same value on every JDK (JDK 17's {@code Double.toString} is not
 * always shortest, JDK-4511638).
 */
package dev.promkit.promql.format;

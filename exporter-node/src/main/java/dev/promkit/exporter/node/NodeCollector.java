package dev.promkit.exporter.node;

/** One node_exporter collector: reads the host and adds samples to the scrape's families. */
interface NodeCollector {
  /**
   * Reads the host.
   *
   * @throws NoDataException when the source does not exist on this host (node_exporter's ErrNoData)
   * @throws Exception on any other failure; the scrape reports the collector as failed
   */
  void update(Families out) throws Exception;

  /** The source does not exist here: the collector reports failure without logging an error. */
  final class NoDataException extends Exception {
    private static final long serialVersionUID = 1L;

    NoDataException(String message) {
      super(message, null, false, false);
    }
  }
}

package dev.promkit.client.metrics;

import dev.promkit.client.snapshot.Labels;

/** What every data-point handle keeps: its label values (the lookup key) and its exposed labels. */
abstract class ChildBase {
  final String[] labelValues;
  final int hash;
  final Labels labels;
  final long createdMillis;

  ChildBase(String[] labelValues, Labels labels, long createdMillis) {
    this.labelValues = labelValues;
    this.hash = ChildTable.hash(labelValues);
    this.labels = labels;
    this.createdMillis = createdMillis;
  }
}

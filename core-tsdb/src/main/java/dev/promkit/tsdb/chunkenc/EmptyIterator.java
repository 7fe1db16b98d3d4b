package dev.promkit.tsdb.chunkenc;

final class EmptyIterator implements ChunkIterator {
  static final EmptyIterator INSTANCE = new EmptyIterator();

  @Override
  public ValueType next() {
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    throw new IllegalStateException("empty iterator has no sample");
  }

  @Override
  public double atV() {
    throw new IllegalStateException("empty iterator has no sample");
  }
}

/** Byte-level building blocks shared by the TSDB's file formats: big-endian buffers, varints, CRC32-C. */
package dev.promkit.tsdb.encoding;

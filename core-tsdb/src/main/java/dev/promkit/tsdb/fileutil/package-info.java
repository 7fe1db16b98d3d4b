/** File-system helpers for durable writes. */
package dev.promkit.tsdb.fileutil;

package tracestore.storage.codec;

import static tracestore.storage.codec.ChunkFormat.*;

import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Compressor;

/**
 * Where the bytes of a chunk go: a diagnostic for size work and benchmarks, not used to read or
 * write data. It splits a format-2 or format-3 body into its sections (trace id, string table, counts and
 * column lengths, then each span column) and attributes the compressed size to them: a section's
 * share is how much LZ4 output grows when the section is added to the body before it.
 */
public final class ChunkAnatomy {
  private ChunkAnatomy() {}

  /**
   * One section of a chunk.
   *
   * @param name what the section holds
   * @param rawBytes its bytes in the uncompressed body (for the header: the header)
   * @param compressedBytes its attributed share of the stored payload
   */
  public record Section(String name, int rawBytes, int compressedBytes) {}

  private static final String[] COLUMN_NAMES = {
    "column: span ids",
    "column: parents",
    "column: origins; flags, names, services, layouts, repeat masks",
    "column: start deltas",
    "column: durations",
    "column: tag layouts, resources, arrays",
    "column: string values",
    "column: numbers",
    "column: logs and links"
  };

  /**
   * The sections of {@code payload}, header first. The compressed shares add up to the payload's
   * length up to a few bytes (LZ4's output is not exactly additive).
   *
   * @throws CorruptChunkException when the payload does not decode
   * @throws IllegalArgumentException for a chunk of format 1 (a format-3 chunk needs the overload with its dictionaries)
   */
  public static List<Section> sections(byte[] payload) {
    return sections(payload, ChunkDictionaries.none());
  }

  /**
   * Like {@link #sections(byte[])}, for a chunk of format 2 or 3; a format-3 chunk's dictionary is
   * loaded through {@code dictionaries} to validate it. The dictionary's own bytes are not counted.
   */
  public static List<Section> sections(byte[] payload, ChunkDictionaries dictionaries) {
    ChunkHeader header = ChunkDecoder.readHeader(payload);
    if (header.formatVersion() != VERSION && header.formatVersion() != VERSION_3) {
      throw new IllegalArgumentException(
          "format " + header.formatVersion() + ", not " + VERSION + " or " + VERSION_3);
    }
    ChunkDecoder.decode(payload, null, dictionaries); // validates everything below
    int headerLength = header.headerLength();
    byte[] body = new byte[header.uncompressedLength()];
    safeDecompressor()
        .decompress(payload, headerLength, header.compressedLength(), body, 0, body.length);
    BodyReader r = new BodyReader(body, body.length);
    List<String> names = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    r.skip(16, "trace id");
    names.add("trace id");
    ends.add(r.position());
    int strings = r.readVarInt("string count");
    // The table lists well-known and dictionary entries first, then the chunk's own strings.
    boolean inOwn = false;
    for (int i = 0; i < strings; i++) {
      int at = r.position();
      int entry = r.readVarInt("string entry");
      if (!inOwn && (entry & S_KIND_MASK) != S_KNOWN) {
        inOwn = true;
        names.add("string table: well-known and dictionary refs");
        ends.add(at);
      }
      switch (entry & S_KIND_MASK) {
        case S_LITERAL -> r.skip(entry >>> S_KIND_BITS, "string");
        case S_UUID -> r.skip(16, "UUID");
        case S_PREFIXED -> {
          r.readVarInt("shared prefix");
          r.skip(entry >>> S_KIND_BITS, "suffix");
        }
        default -> {} // well-known: nothing follows
      }
    }
    if (!inOwn) {
      names.add("string table: well-known and dictionary refs");
      ends.add(r.position());
    }
    names.add("string table: the chunk's own strings");
    ends.add(r.position());
    for (int i = 0; i < 4; i++) r.readVarInt("count");
    int padding = r.readVarInt("padding");
    int[] lengths = new int[COLUMNS];
    int sum = padding;
    for (int c = 0; c < COLUMNS - 1; c++) sum += lengths[c] = r.readVarInt("column length");
    lengths[COLUMNS - 1] = r.remaining() - sum;
    names.add("counts, padding and column lengths");
    ends.add(r.position());
    int at = r.position();
    for (int c = 0; c < COLUMNS; c++) {
      at += lengths[c];
      names.add(COLUMN_NAMES[c]);
      ends.add(at);
    }
    names.add("padding");
    ends.add(at + padding);
    List<Section> out = new ArrayList<>();
    out.add(new Section("header", headerLength, headerLength));
    LZ4Compressor lz4 = compressor();
    byte[] scratch = new byte[lz4.maxCompressedLength(body.length)];
    int previousEnd = 0;
    int previousCompressed = 0;
    for (int i = 0; i < names.size(); i++) {
      int end = ends.get(i);
      int compressed = lz4.compress(body, 0, end, scratch, 0, scratch.length);
      out.add(new Section(names.get(i), end - previousEnd, compressed - previousCompressed));
      previousEnd = end;
      previousCompressed = compressed;
    }
    return out;
  }
}

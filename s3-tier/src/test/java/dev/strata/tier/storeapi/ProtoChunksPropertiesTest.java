package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.Xxh64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * A raw StoreAPI chunk refers to the chunk bytes it is given instead of copying them: the message
 * must still be, on the wire and as a value, the one built from a copy, with the XXH64 of the
 * bytes as its hash.
 */
class ProtoChunksPropertiesTest {

  @Property(tries = 300)
  void aRawChunkIsTheMessageBuiltFromACopy(@ForAll @Size(max = 2000) byte[] data,
      @ForAll boolean histogram) {
    byte encoding = histogram ? ChunkEncoding.HISTOGRAM : ChunkEncoding.XOR;
    Chunk copied = Chunk.newBuilder()
        .setType(histogram ? Chunk.Encoding.HISTOGRAM : Chunk.Encoding.XOR)
        .setData(ByteString.copyFrom(data))
        .setHash(Xxh64.hash(data, 0, data.length))
        .build();

    Chunk wrapped = ProtoChunks.raw(encoding, data);

    assertEquals(copied, wrapped);
    assertArrayEquals(copied.toByteArray(), wrapped.toByteArray());
    assertEquals(ProtoChunks.raw(encoding, data.clone(), 0, data.length), wrapped);
  }
}

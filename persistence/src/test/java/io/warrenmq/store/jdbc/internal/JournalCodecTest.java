package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.StoredDelayedMessage;
import io.warrenmq.engine.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A journal record holds exactly the writes of its batch plan ({@link JournalCodec}). */
class JournalCodecTest {
  private static final BasicProperties PROPS =
      BasicProperties.builder()
          .deliveryMode(BasicProperties.PERSISTENT)
          .priority(4)
          .headers(Map.of("x-k", "välue"))
          .build();

  private static Op.Enqueue enqueue(long queueId, long id, long seq, boolean shared, String body) {
    Op.Enqueue e =
        new Op.Enqueue(
            "/",
            "q" + queueId,
            seq,
            new StoredMessage(id, "ex", "rk.ü", PROPS, body.getBytes(StandardCharsets.UTF_8)),
            Codec.encode(PROPS));
    e.queueId = queueId;
    e.shared = shared;
    return e;
  }

  @Test
  void everyPartOfAPlanComesBackFromItsRecord() {
    BatchPlan plan = new BatchPlan();
    plan.removeRange(9, 10, Long.MAX_VALUE);
    plan.dequeue(new EntryKey(3, 33));
    plan.enqueue(enqueue(1, 101, 7, false, "inline"));
    plan.enqueue(enqueue(1, 202, 8, true, "shared"));
    plan.enqueue(enqueue(2, 202, 4, true, "shared"));
    plan.markDelivered(new EntryKey(1, 101));
    plan.delivered = List.of(new EntryKey(5, 55), new EntryKey(6, 66));
    StoredMessage delayed = new StoredMessage(303, "dx", "later", PROPS, new byte[] {1, 2, 3});
    plan.delayed.add(
        new Op.StoreDelayed(
            new StoredDelayedMessage("vh", delayed, 1_700_000_000_123L), Codec.encode(PROPS)));
    plan.delayed.add(new Op.DeleteDelayed(304));

    JournalCodec codec = new JournalCodec();
    byte[] record = codec.encode(plan);
    BatchPlan back =
        JournalCodec.decode(Arrays.copyOfRange(record, Journal.HEADER_BYTES, codec.end()));

    assertEquals(plan.ranges, back.ranges);
    assertEquals(plan.deletes, back.deletes);
    assertEquals(plan.delivered, back.delivered);
    assertEquals(plan.inserts.keySet().stream().toList(), back.inserts.keySet().stream().toList());
    for (EntryKey k : plan.inserts.keySet()) {
      Op.Enqueue a = plan.inserts.get(k);
      Op.Enqueue b = back.inserts.get(k);
      assertEquals(a.seq, b.seq, k.toString());
      assertEquals(a.shared, b.shared, k.toString());
      assertEquals(a.delivered, b.delivered, k.toString());
      assertEquals(a.message.exchange(), b.message.exchange());
      assertEquals(a.message.routingKey(), b.message.routingKey());
      assertArrayEquals(a.message.body(), b.message.body());
      assertArrayEquals(a.encodedProperties, b.encodedProperties);
      assertEquals(PROPS.headers(), b.message.properties().headers());
    }
    assertTrue(back.inserts.get(new EntryKey(1, 101)).delivered);
    assertEquals(ids(plan.messageRows()), ids(back.messageRows()), "one row per shared message");
    assertEquals(2, back.entryRows().size());

    assertEquals(2, back.delayed.size());
    Op.StoreDelayed s = (Op.StoreDelayed) back.delayed.get(0);
    assertEquals("vh", s.message.virtualHost());
    assertEquals(1_700_000_000_123L, s.message.dueAtMillis());
    assertEquals(303, s.message.message().messageId());
    assertEquals("later", s.message.message().routingKey());
    assertArrayEquals(new byte[] {1, 2, 3}, s.message.message().body());
    assertEquals(304, ((Op.DeleteDelayed) back.delayed.get(1)).messageId);
  }

  @Test
  void aRecordOfAnotherFormatOrCutShortIsRefused() {
    JournalCodec codec = new JournalCodec();
    BatchPlan plan = new BatchPlan();
    plan.enqueue(enqueue(1, 101, 7, false, "body"));
    byte[] payload = Arrays.copyOfRange(codec.encode(plan), Journal.HEADER_BYTES, codec.end());
    byte[] cut = Arrays.copyOf(payload, payload.length - 2);
    assertTrue(
        assertThrows(IllegalStateException.class, () -> JournalCodec.decode(cut))
            .getMessage()
            .contains("truncated"));
    byte[] other = payload.clone();
    other[0] = 9;
    assertTrue(
        assertThrows(IllegalStateException.class, () -> JournalCodec.decode(other))
            .getMessage()
            .contains("format version 9"));
  }

  private static List<Long> ids(List<Op.Enqueue> rows) {
    List<Long> ids = new ArrayList<>();
    for (Op.Enqueue e : rows) {
      ids.add(e.message.messageId());
    }
    return ids;
  }
}

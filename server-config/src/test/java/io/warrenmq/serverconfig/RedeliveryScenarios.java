package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What {@code redelivery.war} ({@link TestWars#redelivery()}) must show on any server: delivery
 * counts, dead-lettering after {@code maxDeliveryAttempts} and the redelivery delay of its MDBs.
 * Run by {@code RedeliveryIT} (WildFly) and {@code PayaraRedeliveryIT}.
 */
public final class RedeliveryScenarios {
  /** Longest wait for a delivery or a dead-lettered message. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private final TestApi api;

  public RedeliveryScenarios(TestApi api) {
    this.api = api;
  }

  /** Polls the delivery counts of {@code key} until they equal {@code expected} or WAIT passes. */
  private String awaitAttempts(String key, String expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    do {
      seen = api.call("GET", "attempts?key=" + key).body();
      if (seen.equals(expected)) {
        return seen;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    } while (System.nanoTime() < deadline);
    return seen;
  }

  /** {@code FlakyMdb} fails twice: counts 1, 2, 3, then nothing more and no dead letter. */
  public void aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird()
      throws Exception {
    String key = "flaky-" + UUID.randomUUID();
    assertEquals(200, api.call("POST", "send?queue=flaky-q&key=" + key).statusCode());

    assertEquals("1,2,3", awaitAttempts(key, "1,2,3"));

    // Succeeded on the third delivery: not dead-lettered, and not delivered a fourth time.
    HttpResponse<String> dead = api.call("GET", "dead?queue=DLQ&waitMs=1000");
    assertEquals(404, dead.statusCode(), dead::body);
    assertEquals("1,2,3", api.call("GET", "attempts?key=" + key).body());
  }

  /**
   * {@code PoisonMdb} always fails: after 3 deliveries its message is in {@code poison-dlq} with
   * its text, properties, reason and origin.
   *
   * @return the key of the message sent
   */
  public String anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts()
      throws Exception {
    String key = "poison-" + UUID.randomUUID();
    assertEquals(200, api.call("POST", "send?queue=poison-q&key=" + key).statusCode());

    HttpResponse<String> dead = api.call("GET", "dead?queue=poison-dlq&waitMs=" + WAIT.toMillis());

    assertEquals(200, dead.statusCode(), dead::body);
    String body = dead.body();
    assertTrue(body.contains("key=" + key), body);
    assertTrue(body.contains("text=payload of " + key), body);
    assertTrue(body.contains("reason=maxDeliveryAttempts (3)"), body);
    assertTrue(body.contains("origin=queue://poison-q"), body);
    assertEquals("1,2,3", api.call("GET", "attempts?key=" + key).body());
    return key;
  }

  /** {@code DelayedRetryMdb} (1000 ms delay, two sessions): the retry starts after the delay. */
  public void aTransactedMdbWithARedeliveryDelayGetsTheRolledBackMessageAgainOnlyAfterTheDelay()
      throws Exception {
    String key = "delayed-" + UUID.randomUUID();
    assertEquals(200, api.call("POST", "send?queue=delayed-q&key=" + key).statusCode());

    assertEquals("1,2", awaitAttempts(key, "1,2"));

    long gapMs = Long.parseLong(api.call("GET", "retryGap?key=" + key).body());
    assertTrue(
        gapMs >= 1000,
        "the second delivery started " + gapMs + " ms after the first failed, not >= 1000");
    // succeeded on the second delivery: acknowledged, nothing left to deliver a third time
    HttpResponse<String> left = api.call("GET", "dead?queue=delayed-q&waitMs=1500");
    assertEquals(404, left.statusCode(), left::body);
    assertEquals("1,2", api.call("GET", "attempts?key=" + key).body());
  }
}

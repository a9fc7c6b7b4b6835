package io.warrenmq.management.internal;

/**
 * An answer: status and JSON body (null for none).
 *
 * @param location a {@code Location} header for 201, or null
 */
record Reply(int status, Object body, String location) {
  static Reply ok(Object body) {
    return new Reply(200, body, null);
  }

  static Reply noContent() {
    return new Reply(204, null, null);
  }

  static Reply created() {
    return new Reply(201, null, null);
  }

  /** 201 for a new object, 204 for one that existed (RabbitMQ's PUT). */
  static Reply createdOr(boolean created) {
    return created ? created() : noContent();
  }
}

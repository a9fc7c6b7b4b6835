package io.warrenmq.management.internal;

/**
 * An HTTP error answered as RabbitMQ's management API does: a status code and the body {@code
 * {"error": error, "reason": reason}} (no body when {@code error} is null).
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String error;
  final transient Object reason;

  ApiException(int status, String error, Object reason) {
    super(status + " " + error + ": " + reason, null, false, false);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }

  /** 404 for a path that names no object, RabbitMQ's exact body. */
  static ApiException notFound() {
    return new ApiException(404, "Object Not Found", "Not Found");
  }

  static ApiException badRequest(Object reason) {
    return new ApiException(400, "bad_request", reason);
  }

  /** RabbitMQ answers a known user who may not do something with 401 {@code not_authorised}. */
  static ApiException notAuthorised(String reason) {
    return new ApiException(401, "not_authorised", reason);
  }

  static ApiException methodNotAllowed() {
    return new ApiException(405, null, null);
  }
}

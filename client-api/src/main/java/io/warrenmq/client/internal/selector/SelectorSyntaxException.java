package io.warrenmq.client.internal.selector;

/** A selector that does not follow the grammar; the message says what and where (0-based). */
public final class SelectorSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  SelectorSyntaxException(String what, int position) {
    super(what + " at position " + position);
  }
}

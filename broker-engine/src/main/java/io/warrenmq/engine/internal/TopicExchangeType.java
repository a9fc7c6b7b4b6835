package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code topic} exchanges (AMQP 0-9-1 spec 3.1.3.3) as a word trie, after RabbitMQ's {@code
 * rabbit_db_topic_exchange}: binding keys are split on {@code .} into words and stored as a path of
 * edges labelled with the literal word, {@code *} (exactly one word) or {@code #} (zero or more
 * words); a node holds the bindings whose key ends there. Routing walks the trie once for the
 * routing key, so its cost depends on the key and the shape of the trie, not on the number of
 * bindings, and no regular expression is ever built.
 *
 * <p>Words are the dot-separated parts of a key; empty words are words ({@code a..b} has three
 * words, the middle one empty) and the empty key has zero words, as in RabbitMQ.
 *
 * <p>Concurrency: bind/unbind mutate the trie under this exchange's monitor; routing reads it
 * without a lock through {@link ConcurrentHashMap} children and volatile copy-on-write binding
 * arrays. A reader racing the pruning of an emptied node sees that node's (empty) bindings, which
 * is harmless.
 */
final class TopicExchangeType implements ExchangeType {
  private static final String[] NO_WORDS = new String[0];

  private static final class Node {
    final Node parent;
    final String word;
    final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
    volatile Binding[] bindings = Bindings.NONE;

    Node(Node parent, String word) {
      this.parent = parent;
      this.word = word;
    }
  }

  private final Node root = new Node(null, null);

  @Override
  public String typeName() {
    return "topic";
  }

  @Override
  public synchronized boolean bind(Binding b) {
    Node node = root;
    for (String word : split(b.bindingKey())) {
      Node parent = node;
      node = parent.children.computeIfAbsent(word, w -> new Node(parent, w));
    }
    Binding[] old = node.bindings;
    node.bindings = Bindings.with(old, b);
    return node.bindings != old;
  }

  @Override
  public synchronized boolean unbind(Binding b) {
    Node node = root;
    for (String word : split(b.bindingKey())) {
      node = node.children.get(word);
      if (node == null) {
        return false;
      }
    }
    Binding[] old = node.bindings;
    node.bindings = Bindings.without(old, b);
    if (node.bindings == old) {
      return false;
    }
    // prune nodes left without bindings and children
    while (node.parent != null && node.bindings.length == 0 && node.children.isEmpty()) {
      node.parent.children.remove(node.word, node);
      node = node.parent;
    }
    return true;
  }

  @Override
  public void route(String routingKey, BasicProperties properties, RouteCollector out) {
    match(root, split(routingKey), 0, out);
  }

  private static void match(Node node, String[] words, int i, RouteCollector out) {
    if (i == words.length) {
      for (Binding b : node.bindings) {
        out.add(b);
      }
    } else {
      Node literal = node.children.get(words[i]);
      if (literal != null) {
        match(literal, words, i + 1, out);
      }
      Node star = node.children.get("*");
      if (star != null) {
        match(star, words, i + 1, out);
      }
    }
    Node hash = node.children.get("#");
    if (hash != null) {
      // '#' consumes zero or more of the remaining words
      for (int j = i; j <= words.length; j++) {
        match(hash, words, j, out);
      }
    }
  }

  /** Splits on '.', keeping empty words; the empty key has no words. */
  static String[] split(String key) {
    if (key.isEmpty()) {
      return NO_WORDS;
    }
    int dot = key.indexOf('.');
    if (dot < 0) {
      return new String[] {key};
    }
    List<String> words = new ArrayList<>();
    int start = 0;
    while (dot >= 0) {
      words.add(key.substring(start, dot));
      start = dot + 1;
      dot = key.indexOf('.', start);
    }
    words.add(key.substring(start));
    return words.toArray(NO_WORDS);
  }
}

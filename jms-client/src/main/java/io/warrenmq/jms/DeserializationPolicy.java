package io.warrenmq.jms;

import java.util.Arrays;
import java.util.List;

/**
 * Which classes an {@code ObjectMessage} may deserialize: Java deserialization of untrusted bytes
 * can run code, so by default only classes of trusted packages are accepted (the approach of
 * ActiveMQ's {@code trustedPackages} and Artemis' deserialization allow list).
 *
 * <p>Default: {@value #DEFAULT}, overridable with the system property {@value #PROPERTY} or per
 * connection factory ({@code deserializationAllowList} URL option / {@link
 * WarrenConnectionFactory#withDeserializationAllowList}). An entry is a package (its classes and
 * sub-packages) or a class name; {@code *} allows everything. Arrays are judged by their component
 * class; primitives are always allowed.
 *
 * @param allowed the package or class prefixes allowed; {@code *} for all
 */
record DeserializationPolicy(List<String> allowed) {

  /** System property with the default allow list (comma-separated). */
  static final String PROPERTY = "io.warrenmq.jms.deserializationAllowList";

  /** The built-in allow list. */
  static final String DEFAULT = "java.lang,java.util,java.math,java.time,java.net,io.warrenmq";

  DeserializationPolicy {
    allowed = List.copyOf(allowed);
  }

  /** The policy from {@value #PROPERTY}, or the built-in list. */
  static DeserializationPolicy fromSystem() {
    return parse(System.getProperty(PROPERTY, DEFAULT));
  }

  /** A policy from a comma-separated list. */
  static DeserializationPolicy parse(String list) {
    return new DeserializationPolicy(
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  /** Whether a class of this name (as in {@code ObjectStreamClass.getName()}) may be loaded. */
  boolean allows(String className) {
    String name = className;
    while (name.startsWith("[")) {
      name = name.substring(1);
    }
    if (name.length() == 1) {
      return true; // primitive array component, e.g. "[I"
    }
    if (name.startsWith("L") && name.endsWith(";")) {
      name = name.substring(1, name.length() - 1);
    }
    for (String a : allowed) {
      if (a.equals("*") || name.equals(a) || name.startsWith(a + ".")) {
        return true;
      }
    }
    return false;
  }
}

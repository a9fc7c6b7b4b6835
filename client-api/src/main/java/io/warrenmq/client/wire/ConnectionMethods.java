package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.WireReader.readLong;
import static io.warrenmq.client.wire.WireReader.readLongString;
import static io.warrenmq.client.wire.WireReader.readLongStringBytes;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireReader.readTable;
import static io.warrenmq.client.wire.WireWriter.writeLongString;
import static io.warrenmq.client.wire.WireWriter.writeShortString;
import static io.warrenmq.client.wire.WireWriter.writeTable;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/** The methods of class {@code connection} (id 10), with RabbitMQ's blocked and update-secret. */
public final class ConnectionMethods {
  private ConnectionMethods() {}

  /** connection.start (10): version, server properties, SASL mechanisms and locales. */
  public record Start(
      int versionMajor,
      int versionMinor,
      Map<String, Object> serverProperties,
      String mechanisms,
      String locales)
      implements AmqpMethod {
    static Start read(ByteBuf in) {
      return new Start(
          readOctet(in, "version-major"),
          readOctet(in, "version-minor"),
          readTable(in, "server-properties"),
          readLongString(in, "mechanisms"),
          readLongString(in, "locales"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(versionMajor);
      out.writeByte(versionMinor);
      writeTable(out, serverProperties);
      writeLongString(out, mechanisms);
      writeLongString(out, locales);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_START;
    }
  }

  /** connection.start-ok (11): client properties, the chosen mechanism and its response. */
  public record StartOk(
      Map<String, Object> clientProperties, String mechanism, byte[] response, String locale)
      implements AmqpMethod {
    static StartOk read(ByteBuf in) {
      return new StartOk(
          readTable(in, "client-properties"),
          readShortString(in, "mechanism"),
          readLongStringBytes(in, "response"),
          readShortString(in, "locale"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeTable(out, clientProperties);
      writeShortString(out, mechanism);
      writeLongString(out, response);
      writeShortString(out, locale);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_START_OK;
    }

    @Override
    public String toString() {
      // the response holds the password
      return "StartOk[clientProperties=" + clientProperties + ", mechanism=" + mechanism + "]";
    }
  }

  /** connection.secure (20): a SASL challenge. */
  public record Secure(byte[] challenge) implements AmqpMethod {
    static Secure read(ByteBuf in) {
      return new Secure(readLongStringBytes(in, "challenge"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLongString(out, challenge);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_SECURE;
    }
  }

  /** connection.secure-ok (21): a SASL response. */
  public record SecureOk(byte[] response) implements AmqpMethod {
    static SecureOk read(ByteBuf in) {
      return new SecureOk(readLongStringBytes(in, "response"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLongString(out, response);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_SECURE_OK;
    }

    @Override
    public String toString() {
      return "SecureOk[]";
    }
  }

  /**
   * connection.tune (30) and, with {@code ok}, connection.tune-ok (31).
   *
   * @param channelMax highest channel number, 0 = no limit (65535)
   * @param frameMax largest frame in bytes, header and end octet included; 0 = no limit
   * @param heartbeat seconds between heartbeats, 0 = none
   * @param ok true for tune-ok
   */
  public record Tune(int channelMax, long frameMax, int heartbeat, boolean ok)
      implements AmqpMethod {
    static Tune read(ByteBuf in, boolean ok) {
      return new Tune(
          readShort(in, "channel-max"), readLong(in, "frame-max"), readShort(in, "heartbeat"), ok);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(channelMax);
      out.writeInt((int) frameMax);
      out.writeShort(heartbeat);
    }

    @Override
    public MethodId id() {
      return ok ? MethodId.CONNECTION_TUNE_OK : MethodId.CONNECTION_TUNE;
    }
  }

  /** connection.open (40): the virtual host; the two reserved fields are read and ignored. */
  public record Open(String virtualHost) implements AmqpMethod {
    static Open read(ByteBuf in) {
      String vhost = readShortString(in, "virtual-host");
      readShortString(in, "capabilities");
      readOctet(in, "insist");
      return new Open(vhost);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, virtualHost);
      writeShortString(out, "");
      out.writeByte(0);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_OPEN;
    }
  }

  /** connection.open-ok (41). */
  public record OpenOk() implements AmqpMethod {
    static OpenOk read(ByteBuf in) {
      readShortString(in, "known-hosts");
      return new OpenOk();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, "");
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_OPEN_OK;
    }
  }

  /** connection.blocked (60, RabbitMQ): the broker stopped reading publishes, and why. */
  public record Blocked(String reason) implements AmqpMethod {
    static Blocked read(ByteBuf in) {
      return new Blocked(readShortString(in, "reason"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, Texts.shortText(reason));
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_BLOCKED;
    }
  }

  /** connection.update-secret (70, RabbitMQ): a new secret (e.g. an OAuth token), and why. */
  public record UpdateSecret(byte[] newSecret, String reason) implements AmqpMethod {
    static UpdateSecret read(ByteBuf in) {
      return new UpdateSecret(readLongStringBytes(in, "new-secret"), readShortString(in, "reason"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLongString(out, newSecret);
      writeShortString(out, reason);
    }

    @Override
    public MethodId id() {
      return MethodId.CONNECTION_UPDATE_SECRET;
    }

    @Override
    public String toString() {
      return "UpdateSecret[reason=" + reason + "]";
    }
  }
}

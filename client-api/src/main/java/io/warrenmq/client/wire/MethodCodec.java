package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;

/**
 * Decodes a method frame's payload into an {@link AmqpMethod} and encodes one back: class id,
 * method id, then the arguments (spec 2.3.5.1 and 4.2.4). One switch over the two ids, no
 * reflection. Both directions are decoded (the broker reads what clients send, the tests and a
 * future wire client read what the broker sends).
 *
 * <p>Errors, as RabbitMQ answers them: arguments that do not decode, or bytes left over after the
 * last argument, are 501 FRAME_ERROR "cannot decode {@code class.method}: ..."; an unknown class or
 * method is 503 COMMAND_INVALID (RabbitMQ drops the socket instead). Both are connection errors.
 * Besides the classes of AMQP 0-9-1 this codec knows WarrenMQ's extension class {@code dtx} ({@link
 * DtxMethods}) and its extension method {@code basic.release} ({@link BasicMethods.Release}).
 *
 * <p>Thread-safety: stateless.
 */
public final class MethodCodec {
  private MethodCodec() {}

  /**
   * Decodes one method frame's payload, all of it.
   *
   * @throws AmqpException 501 FRAME_ERROR or 503 COMMAND_INVALID, see above
   */
  public static AmqpMethod decode(ByteBuf payload) {
    if (payload.readableBytes() < 4) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "method frame of " + payload.readableBytes() + " bytes has no class and method id");
    }
    int classId = payload.readUnsignedShort();
    int methodId = payload.readUnsignedShort();
    MethodId id = lookUp(classId, methodId);
    AmqpMethod method;
    try {
      method = read(id, payload);
    } catch (WireFormatException e) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR, "cannot decode " + id.spec() + ": " + e.getMessage());
    }
    if (payload.isReadable()) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "cannot decode "
              + id.spec()
              + ": "
              + payload.readableBytes()
              + " bytes follow its last argument");
    }
    return method;
  }

  /** Writes class id, method id and arguments. */
  public static void encode(AmqpMethod method, ByteBuf out) {
    out.writeShort(method.id().classId());
    out.writeShort(method.id().methodId());
    method.writeArguments(out);
  }

  /**
   * The method with these ids.
   *
   * @throws AmqpException 503 COMMAND_INVALID when there is none
   */
  public static MethodId lookUp(int classId, int methodId) {
    MethodId id = null;
    if (classId == BASIC_CLASS_ID && methodId == BasicMethods.RELEASE_METHOD_ID) {
      id = MethodId.BASIC_RELEASE; // outside BY_IDS, which stops at method id 120
    } else if (methodId <= MAX_METHOD_ID) {
      if (classId <= MAX_CLASS_ID) {
        id = BY_IDS[classId * (MAX_METHOD_ID + 1) + methodId];
      } else if (classId == DtxMethods.CLASS_ID) {
        id = DTX_BY_ID[methodId];
      }
    }
    if (id == null) {
      throw new AmqpException(
          ReplyCode.COMMAND_INVALID, "unknown method: class " + classId + ", method " + methodId);
    }
    return id;
  }

  private static final int BASIC_CLASS_ID = 60;
  private static final int MAX_CLASS_ID = 90;
  private static final int MAX_METHOD_ID = 120;

  /**
   * Every AMQP 0-9-1 method at {@code classId * 121 + methodId}: a look-up without boxing or
   * hashing.
   */
  private static final MethodId[] BY_IDS = new MethodId[(MAX_CLASS_ID + 1) * (MAX_METHOD_ID + 1)];

  /** The methods of the extension class dtx (id 200) by method id, apart so BY_IDS stays small. */
  private static final MethodId[] DTX_BY_ID = new MethodId[MAX_METHOD_ID + 1];

  static {
    for (MethodId id : MethodId.values()) {
      if (id.classId() == DtxMethods.CLASS_ID) {
        DTX_BY_ID[id.methodId()] = id;
      } else if (id != MethodId.BASIC_RELEASE) {
        BY_IDS[id.classId() * (MAX_METHOD_ID + 1) + id.methodId()] = id;
      }
    }
  }

  private static AmqpMethod read(MethodId id, ByteBuf in) {
    return switch (id) {
      case BASIC_PUBLISH -> BasicMethods.Publish.read(in);
      case BASIC_ACK, BASIC_REJECT, BASIC_NACK -> BasicMethods.Settle.read(in, id);
      case BASIC_DELIVER -> BasicMethods.Deliver.read(in);
      case BASIC_QOS -> BasicMethods.Qos.read(in);
      case BASIC_CONSUME -> BasicMethods.Consume.read(in);
      case BASIC_CONSUME_OK, BASIC_CANCEL_OK -> BasicMethods.ConsumerTagOk.read(in, id);
      case BASIC_CANCEL -> BasicMethods.Cancel.read(in);
      case BASIC_RETURN -> BasicMethods.Return.read(in);
      case BASIC_GET -> BasicMethods.Get.read(in);
      case BASIC_GET_OK -> BasicMethods.GetOk.read(in);
      case BASIC_GET_EMPTY -> BasicMethods.GetEmpty.read(in);
      case BASIC_RECOVER -> BasicMethods.Recover.read(in, false);
      case BASIC_RECOVER_ASYNC -> BasicMethods.Recover.read(in, true);
      case BASIC_RELEASE -> BasicMethods.Release.read(in);

      case CONNECTION_START -> ConnectionMethods.Start.read(in);
      case CONNECTION_START_OK -> ConnectionMethods.StartOk.read(in);
      case CONNECTION_SECURE -> ConnectionMethods.Secure.read(in);
      case CONNECTION_SECURE_OK -> ConnectionMethods.SecureOk.read(in);
      case CONNECTION_TUNE -> ConnectionMethods.Tune.read(in, false);
      case CONNECTION_TUNE_OK -> ConnectionMethods.Tune.read(in, true);
      case CONNECTION_OPEN -> ConnectionMethods.Open.read(in);
      case CONNECTION_OPEN_OK -> ConnectionMethods.OpenOk.read(in);
      case CONNECTION_CLOSE, CHANNEL_CLOSE -> Close.read(in, id);

      case CONNECTION_BLOCKED -> ConnectionMethods.Blocked.read(in);

      case CONNECTION_UPDATE_SECRET -> ConnectionMethods.UpdateSecret.read(in);

      case CHANNEL_OPEN -> ChannelMethods.Open.read(in);
      case CHANNEL_OPEN_OK -> ChannelMethods.OpenOk.read(in);
      case CHANNEL_FLOW -> ChannelMethods.Flow.read(in, false);
      case CHANNEL_FLOW_OK -> ChannelMethods.Flow.read(in, true);

      case ACCESS_REQUEST -> ChannelMethods.AccessRequest.read(in);
      case ACCESS_REQUEST_OK -> ChannelMethods.AccessRequestOk.read(in);
      case EXCHANGE_DECLARE -> ExchangeMethods.Declare.read(in);
      case EXCHANGE_DELETE -> ExchangeMethods.Delete.read(in);
      case EXCHANGE_BIND -> ExchangeMethods.Bind.read(in, false);
      case EXCHANGE_UNBIND -> ExchangeMethods.Bind.read(in, true);

      case QUEUE_DECLARE -> QueueMethods.Declare.read(in);
      case QUEUE_DECLARE_OK -> QueueMethods.DeclareOk.read(in);
      case QUEUE_BIND -> QueueMethods.Bind.read(in, false);
      case QUEUE_UNBIND -> QueueMethods.Bind.read(in, true);
      case QUEUE_PURGE -> QueueMethods.Purge.read(in);
      case QUEUE_DELETE -> QueueMethods.Delete.read(in);
      case QUEUE_PURGE_OK, QUEUE_DELETE_OK -> QueueMethods.CountOk.read(in, id);

      case CONFIRM_SELECT -> TxMethods.ConfirmSelect.read(in);

      case DTX_SELECT_OK -> DtxMethods.SelectOk.read(in);
      case DTX_START, DTX_END -> DtxMethods.Association.read(in, id);
      case DTX_PREPARE, DTX_ROLLBACK, DTX_FORGET -> DtxMethods.Branch.read(in, id);
      case DTX_COMMIT -> DtxMethods.Commit.read(in);
      case DTX_RECOVER -> DtxMethods.Recover.read(in);
      case DTX_RECOVER_OK -> DtxMethods.RecoverOk.read(in);
      case DTX_SET_TIMEOUT -> DtxMethods.SetTimeout.read(in);
      case DTX_GET_TIMEOUT_OK -> DtxMethods.GetTimeoutOk.read(in);
      case DTX_START_OK,
              DTX_END_OK,
              DTX_PREPARE_OK,
              DTX_COMMIT_OK,
              DTX_ROLLBACK_OK,
              DTX_FORGET_OK,
              DTX_SET_TIMEOUT_OK ->
          DtxMethods.Result.read(in, id);
      case BASIC_QOS_OK,
              BASIC_RECOVER_OK,
              CONNECTION_CLOSE_OK,
              CONNECTION_UNBLOCKED,
              CONNECTION_UPDATE_SECRET_OK,
              CHANNEL_CLOSE_OK,
              EXCHANGE_DECLARE_OK,
              EXCHANGE_DELETE_OK,
              EXCHANGE_BIND_OK,
              EXCHANGE_UNBIND_OK,
              QUEUE_BIND_OK,
              QUEUE_UNBIND_OK,
              CONFIRM_SELECT_OK,
              TX_SELECT,
              TX_SELECT_OK,
              TX_COMMIT,
              TX_COMMIT_OK,
              TX_ROLLBACK,
              TX_ROLLBACK_OK,
              DTX_SELECT,
              DTX_GET_TIMEOUT ->
          new NoArguments(id);
    };
  }
}

package io.warrenmq.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;

/**
 * Sits behind the {@code SslHandler} of an {@code amqps} connection and turns TLS failures into one
 * log line and a closed socket: a refused handshake (no client certificate where one is required,
 * one that does not chain to {@code cacertfile}, no common protocol or cipher), a client speaking
 * plain AMQP to the TLS port, a corrupt record later on. The AMQP handler behind it never sees
 * them, so they cost no stack trace and nothing else of the broker notices. RabbitMQ logs such
 * handshakes the same way, as one line per refused client.
 *
 * <p>Thread-safety: one per connection, on its event loop.
 */
final class TlsFailures extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(TlsFailures.class.getName());

  private boolean reported;

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      report(ctx, "TLS handshake with {0} failed: {1}", done.cause());
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (!isTls(cause)) {
      super.exceptionCaught(ctx, cause);
      return;
    }
    report(ctx, "TLS error on the connection from {0}: {1}", cause);
  }

  private void report(ChannelHandlerContext ctx, String format, Throwable cause) {
    if (!reported) {
      reported = true;
      LOG.log(System.Logger.Level.WARNING, format, ctx.channel().remoteAddress(), reason(cause));
    }
    ctx.close();
  }

  private static String reason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "the client did not start with a TLS handshake (an amqp:// client on the amqps"
            + " port?)";
      }
      if (t instanceof SSLException) {
        return t.getMessage();
      }
    }
    return String.valueOf(cause);
  }

  private static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof NotSslRecordException) {
        return true;
      }
    }
    return false;
  }
}

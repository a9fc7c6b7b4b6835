package io.warrenmq.serverconfig.jmx;

import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test driver: {@code POST send?queue=&n=&priority=} sends n text messages (JMS priority {@code
 * priority}, default 4) to a JMS queue through {@code java:comp/env/jms/warren/ConnectionFactory};
 * {@code GET beans} lists the names of the {@code io.warrenmq} MBeans in the platform MBean server,
 * one a line; on the queue MBean (broker {@code warren}, vhost {@code /}), {@code GET
 * count?queue=&filter=} invokes {@code countMessages}, {@code GET list?queue=&filter=} {@code
 * listMessages} (one line per message: its priority and body size, bytes), {@code POST
 * remove?queue=&filter=} {@code removeMessages} (the number removed).
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class JmxQueuesResource {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @POST
  @Path("send")
  public String send(
      @QueryParam("queue") String queue,
      @QueryParam("n") int n,
      @QueryParam("priority") @DefaultValue("4") int priority)
      throws JMSException, NamingException {
    ConnectionFactory cf = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    try (Connection c = cf.createConnection();
        Session s = c.createSession()) {
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setPriority(priority);
      for (int i = 0; i < n; i++) {
        p.send(s.createTextMessage("m" + i));
      }
    }
    return "sent " + n;
  }

  @GET
  @Path("beans")
  public String beans() throws JMException {
    TreeSet<String> names = new TreeSet<>();
    for (ObjectName n : server.queryNames(new ObjectName("io.warrenmq:*"), null)) {
      names.add(n.getCanonicalName());
    }
    return String.join("\n", names);
  }

  @GET
  @Path("count")
  public String count(@QueryParam("queue") String queue, @QueryParam("filter") String filter)
      throws JMException {
    return String.valueOf(invoke(queue, "countMessages", filter));
  }

  @GET
  @Path("list")
  public String list(@QueryParam("queue") String queue, @QueryParam("filter") String filter)
      throws JMException {
    StringBuilder lines = new StringBuilder();
    for (CompositeData m : (CompositeData[]) invoke(queue, "listMessages", filter)) {
      lines.append(m.get("priority")).append(' ').append(m.get("bodySize")).append('\n');
    }
    return lines.toString();
  }

  @POST
  @Path("remove")
  public String remove(@QueryParam("queue") String queue, @QueryParam("filter") String filter)
      throws JMException {
    return String.valueOf(invoke(queue, "removeMessages", filter));
  }

  /** Invokes a one-String-argument operation of {@code queue}'s MBean, as JConsole would. */
  private Object invoke(String queue, String operation, String filter) throws JMException {
    return server.invoke(
        queueBean(queue), operation, new Object[] {filter}, new String[] {String.class.getName()});
  }

  /** The MBean name of queue {@code queue} of broker {@code warren}, vhost {@code /}. */
  public static ObjectName queueBean(String queue) throws JMException {
    return new ObjectName(
        "io.warrenmq:type=Queue,broker="
            + ObjectName.quote("warren")
            + ",vhost="
            + ObjectName.quote("/")
            + ",name="
            + ObjectName.quote(queue));
  }
}

package io.warrenmq.serverconfig.jmx;

import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
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
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test driver: {@code POST send?queue=&n=} sends n text messages to a JMS queue through {@code
 * java:comp/env/jms/warren/ConnectionFactory}; {@code GET beans} lists the names of the {@code
 * io.warrenmq} MBeans in the platform MBean server, one a line; {@code GET count?queue=&filter=}
 * invokes the queue MBean's {@code countMessages} (broker {@code warren}, vhost {@code /}).
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class JmxQueuesResource {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @POST
  @Path("send")
  public String send(@QueryParam("queue") String queue, @QueryParam("n") int n)
      throws JMSException, NamingException {
    ConnectionFactory cf = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    try (Connection c = cf.createConnection();
        Session s = c.createSession()) {
      MessageProducer p = s.createProducer(s.createQueue(queue));
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
    ObjectName bean =
        new ObjectName(
            "io.warrenmq:type=Queue,broker="
                + ObjectName.quote("warren")
                + ",vhost="
                + ObjectName.quote("/")
                + ",name="
                + ObjectName.quote(queue));
    return String.valueOf(
        server.invoke(
            bean, "countMessages", new Object[] {filter}, new String[] {String.class.getName()}));
  }
}

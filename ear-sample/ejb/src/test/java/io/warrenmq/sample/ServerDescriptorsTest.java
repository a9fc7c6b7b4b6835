package io.warrenmq.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.ejb.MessageDriven;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The EJB module's two server descriptors cover its beans: every {@code @Resource(name = ...)} of a
 * bean is mapped for that bean in WildFly's {@code META-INF/jboss-ejb3.xml} (to a {@code java:/}
 * name) and in Payara's {@code META-INF/glassfish-ejb-jar.xml} (to the same name without it), and
 * every MDB names the WarrenMQ adapter for Payara. A reference added without its mappings would
 * otherwise deploy on one server and fail, or silently bind the server's default JMS factory, on
 * the other.
 */
class ServerDescriptorsTest {

  private static final List<Class<?>> BEANS =
      List.of(
          OrderService.class,
          OrderRows.class,
          OrderLedger.class,
          OrderListener.class,
          AuditSubscriber.class,
          NotificationSubscriber.class);

  /** bean name -> resource reference names declared by its fields. */
  private static Map<String, Set<String>> referencesInCode() {
    Map<String, Set<String>> refs = new TreeMap<>();
    for (Class<?> bean : BEANS) {
      Set<String> names = new TreeSet<>();
      for (Field field : bean.getDeclaredFields()) {
        Resource resource = field.getAnnotation(Resource.class);
        if (resource != null) {
          assertTrue(
              resource.lookup().isEmpty(),
              bean.getSimpleName() + "." + field.getName() + " uses a server's JNDI name");
          names.add(resource.name());
        }
      }
      if (!names.isEmpty()) {
        refs.put(bean.getSimpleName(), names);
      }
    }
    return refs;
  }

  @Test
  void jbossEjb3MapsEveryResourceReferenceToItsJavaSlashName() throws Exception {
    Map<String, Map<String, String>> mapped =
        mappings("META-INF/jboss-ejb3.xml", "session", "lookup-name");

    Map<String, Set<String>> expected = referencesInCode();
    assertEquals(expected.keySet(), mapped.keySet());
    for (Map.Entry<String, Set<String>> bean : expected.entrySet()) {
      Map<String, String> beanMappings = mapped.get(bean.getKey());
      assertEquals(bean.getValue(), beanMappings.keySet(), bean.getKey());
      beanMappings.forEach(
          (ref, target) -> assertEquals("java:/" + ref, target, bean.getKey() + " " + ref));
    }
  }

  @Test
  void glassfishEjbJarMapsEveryResourceReferenceAndPointsEveryMdbAtWarrenRa() throws Exception {
    Document doc = parse("META-INF/glassfish-ejb-jar.xml");
    Map<String, Map<String, String>> mapped =
        mappings("META-INF/glassfish-ejb-jar.xml", "ejb", "jndi-name");

    Map<String, Set<String>> expected = referencesInCode();
    assertEquals(expected.keySet(), mapped.keySet());
    for (Map.Entry<String, Set<String>> bean : expected.entrySet()) {
      Map<String, String> beanMappings = mapped.get(bean.getKey());
      assertEquals(bean.getValue(), beanMappings.keySet(), bean.getKey());
      beanMappings.forEach((ref, target) -> assertEquals(ref, target, bean.getKey() + " " + ref));
    }
    Set<String> mdbs = new TreeSet<>();
    for (Class<?> bean : BEANS) {
      if (bean.isAnnotationPresent(MessageDriven.class)) {
        mdbs.add(bean.getSimpleName());
      }
    }
    Set<String> pointedAtWarren = new TreeSet<>();
    NodeList ejbs = doc.getElementsByTagName("ejb");
    for (int i = 0; i < ejbs.getLength(); i++) {
      Element ejb = (Element) ejbs.item(i);
      NodeList mids = ejb.getElementsByTagName("resource-adapter-mid");
      if (mids.getLength() == 1 && "warren-ra".equals(mids.item(0).getTextContent().trim())) {
        pointedAtWarren.add(text(ejb, "ejb-name"));
      }
    }
    assertEquals(Set.of("OrderListener", "AuditSubscriber", "NotificationSubscriber"), mdbs);
    assertEquals(mdbs, pointedAtWarren);
  }

  /**
   * bean name -> (reference name -> mapped name) for {@code resource-ref}, {@code resource-env-ref}
   * and {@code message-destination-ref} elements under each bean element.
   */
  private static Map<String, Map<String, String>> mappings(
      String descriptor, String beanElement, String targetElement) throws Exception {
    Document doc = parse(descriptor);
    Map<String, Map<String, String>> result = new TreeMap<>();
    NodeList beans = doc.getElementsByTagNameNS("*", beanElement);
    for (int i = 0; i < beans.getLength(); i++) {
      Element bean = (Element) beans.item(i);
      Map<String, String> refs = new TreeMap<>();
      for (Node child = bean.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element ref) {
          String nameElement =
              switch (ref.getLocalName()) {
                case "resource-ref" -> "res-ref-name";
                case "resource-env-ref" -> "resource-env-ref-name";
                case "message-destination-ref" -> "message-destination-ref-name";
                default -> null;
              };
          if (nameElement != null) {
            String previous = refs.put(text(ref, nameElement), text(ref, targetElement));
            assertEquals(null, previous, descriptor + ": " + text(ref, nameElement) + " twice");
          }
        }
      }
      if (!refs.isEmpty()) {
        result.put(text(bean, "ejb-name"), refs);
      }
    }
    return result;
  }

  private static Document parse(String resource) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    // glassfish-ejb-jar.xml names a DTD on the web; the test must not fetch it.
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    try (InputStream in =
        ServerDescriptorsTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertTrue(in != null, resource + " is not on the class path");
      return builder.parse(in);
    }
  }

  private static String text(Element parent, String localName) {
    NodeList nodes = parent.getElementsByTagNameNS("*", localName);
    assertEquals(
        1, nodes.getLength(), "one <" + localName + "> under <" + parent.getLocalName() + ">");
    return nodes.item(0).getTextContent().trim();
  }
}

package io.warrenmq.jms;

import java.util.Hashtable;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;

/** The flat, read-only JNDI context of {@link WarrenInitialContextFactory}. Thread-safe. */
final class ReadOnlyContext implements Context {

  private final Map<String, Object> bindings;
  private final Hashtable<Object, Object> environment;

  ReadOnlyContext(Map<String, Object> bindings, Hashtable<?, ?> environment) {
    this.bindings = Map.copyOf(bindings);
    this.environment = new Hashtable<>(environment);
  }

  @Override
  public Object lookup(String name) throws NamingException {
    if (name.isEmpty()) {
      return this;
    }
    Object found = bindings.get(name);
    if (found == null) {
      throw new NameNotFoundException(
          "'" + name + "' is not bound; bound names: " + bindings.keySet());
    }
    return found;
  }

  @Override
  public Object lookup(Name name) throws NamingException {
    return lookup(name.toString());
  }

  private static OperationNotSupportedException readOnly() {
    return new OperationNotSupportedException("the WarrenMQ JNDI context is read-only");
  }

  @Override
  public void bind(Name name, Object obj) throws NamingException {
    throw readOnly();
  }

  @Override
  public void bind(String name, Object obj) throws NamingException {
    throw readOnly();
  }

  @Override
  public void rebind(Name name, Object obj) throws NamingException {
    throw readOnly();
  }

  @Override
  public void rebind(String name, Object obj) throws NamingException {
    throw readOnly();
  }

  @Override
  public void unbind(Name name) throws NamingException {
    throw readOnly();
  }

  @Override
  public void unbind(String name) throws NamingException {
    throw readOnly();
  }

  @Override
  public void rename(Name oldName, Name newName) throws NamingException {
    throw readOnly();
  }

  @Override
  public void rename(String oldName, String newName) throws NamingException {
    throw readOnly();
  }

  @Override
  public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
    return list(name.toString());
  }

  @Override
  public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
    requireRoot(name);
    return enumerate(
        bindings.entrySet().stream()
            .map(e -> new NameClassPair(e.getKey(), e.getValue().getClass().getName()))
            .iterator());
  }

  @Override
  public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
    return listBindings(name.toString());
  }

  @Override
  public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
    requireRoot(name);
    return enumerate(
        bindings.entrySet().stream().map(e -> new Binding(e.getKey(), e.getValue())).iterator());
  }

  private static void requireRoot(String name) throws NamingException {
    if (!name.isEmpty()) {
      throw new NameNotFoundException("the WarrenMQ JNDI context is flat: no subcontext " + name);
    }
  }

  private static <T> NamingEnumeration<T> enumerate(Iterator<T> it) {
    return new NamingEnumeration<>() {
      @Override
      public T next() {
        return nextElement();
      }

      @Override
      public boolean hasMore() {
        return it.hasNext();
      }

      @Override
      public void close() {}

      @Override
      public boolean hasMoreElements() {
        return it.hasNext();
      }

      @Override
      public T nextElement() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }
    };
  }

  @Override
  public void destroySubcontext(Name name) throws NamingException {
    throw readOnly();
  }

  @Override
  public void destroySubcontext(String name) throws NamingException {
    throw readOnly();
  }

  @Override
  public Context createSubcontext(Name name) throws NamingException {
    throw readOnly();
  }

  @Override
  public Context createSubcontext(String name) throws NamingException {
    throw readOnly();
  }

  @Override
  public Object lookupLink(Name name) throws NamingException {
    return lookup(name);
  }

  @Override
  public Object lookupLink(String name) throws NamingException {
    return lookup(name);
  }

  @Override
  public NameParser getNameParser(Name name) {
    return CompositeName::new;
  }

  @Override
  public NameParser getNameParser(String name) {
    return CompositeName::new;
  }

  @Override
  public Name composeName(Name name, Name prefix) throws NamingException {
    return ((Name) prefix.clone()).addAll(name);
  }

  @Override
  public String composeName(String name, String prefix) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  @Override
  public Object addToEnvironment(String propName, Object propVal) {
    return environment.put(propName, propVal);
  }

  @Override
  public Object removeFromEnvironment(String propName) {
    return environment.remove(propName);
  }

  @Override
  public Hashtable<?, ?> getEnvironment() {
    return new Hashtable<>(environment);
  }

  @Override
  public void close() {}

  @Override
  public String getNameInNamespace() {
    return "";
  }
}

package io.ftpipe.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An embedded HiveMQ CE loaded in a classloader of its own that holds only HiveMQ and its
 * dependencies (on the platform classloader, not this JVM's classpath), started with an
 * extensions folder and no embedded extension: what a HiveMQ installation sees of a drop-in.
 *
 * <p>Why not {@code EmbeddedHiveMQ} straight from the test classpath: HiveMQ's extension
 * classloader looks in the extension's jar first and then in HiveMQ's own classloader. On the test
 * classpath that is the whole project with every library, so a class missing from the shaded jar
 * would be found there and the test would pass while a real installation fails.
 */
final class IsolatedHiveMQ implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final URLClassLoader loader;
    private final Object hivemq;

    private IsolatedHiveMQ(URLClassLoader loader, Object hivemq) {
        this.loader = loader;
        this.hivemq = hivemq;
    }

    /**
     * @param classpath a file with HiveMQ's jars, as {@code dependency:build-classpath} writes it
     *                  (see it-tests/pom.xml)
     */
    static IsolatedHiveMQ start(Path classpath, Path conf, Path data, Path extensions) throws Exception {
        URLClassLoader loader = new URLClassLoader("hivemq", urls(classpath), ClassLoader.getPlatformClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // HiveMQ's JAXB and Guice look at the context classloader; its threads inherit it.
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> embedded = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ");
            Class<?> builderType = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQBuilder");
            Object builder = embedded.getMethod("builder").invoke(null);
            builder = builderType.getMethod("withConfigurationFolder", Path.class).invoke(builder, conf);
            builder = builderType.getMethod("withDataFolder", Path.class).invoke(builder, data);
            builder = builderType.getMethod("withExtensionsFolder", Path.class).invoke(builder, extensions);
            Object hivemq = builderType.getMethod("build").invoke(builder);
            IsolatedHiveMQ started = new IsolatedHiveMQ(loader, hivemq);
            try {
                started.call("start");
            } catch (Exception e) {
                started.close();
                throw e;
            }
            return started;
        } catch (InvocationTargetException e) {
            loader.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** True if HiveMQ's classloader (without the drop-in) has the class file or resource {@code name}. */
    boolean sees(String name) {
        return loader.getResource(name) != null;
    }

    /**
     * The class files of {@code jar} that HiveMQ's classloader also has, apart from those under
     * {@code allowedPrefixes} (multi-release copies under META-INF are not looked at).
     */
    List<String> sharedClasses(ZipFile jar, List<String> allowedPrefixes) {
        List<String> shared = new ArrayList<>();
        for (ZipEntry e : java.util.Collections.list(jar.entries())) {
            String name = e.getName();
            if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.contains("module-info")
                    && allowedPrefixes.stream().noneMatch(name::startsWith) && sees(name)) {
                shared.add(name);
            }
        }
        return shared;
    }

    private void call(String method) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Object future = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ").getMethod(method).invoke(hivemq);
            ((CompletableFuture<?>) future).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            call("stop");
        } finally {
            try {
                ((AutoCloseable) hivemq).close();
            } finally {
                loader.close();
            }
        }
    }

    private static URL[] urls(Path classpath) {
        try {
            String text = Files.readString(classpath).trim();
            List<URL> urls = new ArrayList<>();
            for (String entry : text.split(java.io.File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HiveMQ's classpath " + classpath
                    + ": run through failsafe (mvn verify), which writes it", e);
        }
    }
}

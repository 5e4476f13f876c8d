/*
 * DumpKeys: list every configuration key that a Flink distribution declares.
 *
 * Usage (Java 17+, single-file source launch):
 *   java -cp "$FLINK_HOME/lib/*" tools/flink-keys/DumpKeys.java "$FLINK_HOME/lib" > keys.txt
 *
 * It opens every jar in the given directories (flink-dist*.jar first), loads each class under
 * org/apache/flink/ without initialising it, and for every public static field whose type is
 * org.apache.flink.configuration.ConfigOption reads the option and prints one line per key:
 *
 *   key<TAB>current|deprecated<TAB>replacement-key
 *
 * - `current`: the option's own key (ConfigOption#key()) of a field not annotated @Deprecated.
 * - `deprecated`: a fallback key with FallbackKey#isDeprecated() (replacement = the option's
 *   key), or the key of a field annotated @Deprecated (replacement empty: Flink names none).
 * A key that is current anywhere wins over the same key seen as deprecated elsewhere.
 * Output is sorted by key, one line per key. Only reflection on Flink's public API is used.
 */
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

public class DumpKeys {
    /** key -> {status, replacement}. */
    private static final Map<String, String[]> KEYS = new TreeMap<>();

    private static void put(String key, String status, String replacement) {
        String[] old = KEYS.get(key);
        if (old == null) {
            KEYS.put(key, new String[] {status, replacement});
        } else if (old[0].equals("deprecated") && status.equals("current")) {
            KEYS.put(key, new String[] {status, ""});
        } else if (old[0].equals("deprecated") && old[1].isEmpty() && !replacement.isEmpty()) {
            KEYS.put(key, new String[] {status, replacement});
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: DumpKeys <flink lib dir> [more dirs or jars...]");
            System.exit(2);
        }
        List<File> jars = new ArrayList<>();
        for (String a : args) {
            File f = new File(a);
            if (f.isDirectory()) {
                File[] list = f.listFiles((d, n) -> n.endsWith(".jar"));
                if (list != null) {
                    java.util.Arrays.sort(list, (x, y) -> {
                        boolean dx = x.getName().startsWith("flink-dist");
                        boolean dy = y.getName().startsWith("flink-dist");
                        if (dx != dy) return dx ? -1 : 1;
                        return x.getName().compareTo(y.getName());
                    });
                    for (File j : list) jars.add(j);
                }
            } else if (f.isFile()) {
                jars.add(f);
            }
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) urls[i] = jars.get(i).toURI().toURL();
        ClassLoader loader = new URLClassLoader(urls, DumpKeys.class.getClassLoader());
        Class<?> configOption = Class.forName("org.apache.flink.configuration.ConfigOption", false, loader);
        Method keyM = configOption.getMethod("key");
        Method fallbackM = configOption.getMethod("fallbackKeys");
        Class<?> fallbackKey = Class.forName("org.apache.flink.configuration.FallbackKey", false, loader);
        Method fbKeyM = fallbackKey.getMethod("getKey");
        Method fbDepM = fallbackKey.getMethod("isDeprecated");

        int classes = 0, options = 0, failed = 0;
        for (File jar : jars) {
            try (JarFile jf = new JarFile(jar)) {
                Enumeration<JarEntry> en = jf.entries();
                while (en.hasMoreElements()) {
                    String name = en.nextElement().getName();
                    if (!name.endsWith(".class") || !name.startsWith("org/apache/flink/")
                            || name.startsWith("org/apache/flink/shaded/")
                            || name.contains("module-info")) {
                        continue;
                    }
                    String cn = name.substring(0, name.length() - 6).replace('/', '.');
                    Class<?> c;
                    Field[] fields;
                    try {
                        c = Class.forName(cn, false, loader);
                        fields = c.getDeclaredFields();
                    } catch (Throwable t) {
                        continue;
                    }
                    classes++;
                    for (Field f : fields) {
                        int m = f.getModifiers();
                        if (!Modifier.isStatic(m) || !Modifier.isPublic(m)
                                || !configOption.isAssignableFrom(f.getType())) {
                            continue;
                        }
                        Object opt;
                        try {
                            f.setAccessible(true);
                            opt = f.get(null);
                        } catch (Throwable t) {
                            failed++;
                            System.err.println("skip " + cn + "." + f.getName() + ": " + t);
                            continue;
                        }
                        if (opt == null) continue;
                        options++;
                        String key = (String) keyM.invoke(opt);
                        boolean fieldDeprecated = f.isAnnotationPresent(Deprecated.class)
                                || c.isAnnotationPresent(Deprecated.class);
                        put(key, fieldDeprecated ? "deprecated" : "current", "");
                        for (Object fb : (Iterable<?>) fallbackM.invoke(opt)) {
                            String fk = (String) fbKeyM.invoke(fb);
                            boolean dep = (Boolean) fbDepM.invoke(fb);
                            if (dep) {
                                put(fk, "deprecated", fieldDeprecated ? "" : key);
                            } else {
                                // A non-deprecated fallback key is still read by Flink.
                                put(fk, "current", "");
                            }
                        }
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String[]> e : KEYS.entrySet()) {
            out.append(e.getKey()).append('\t').append(e.getValue()[0]).append('\t')
                    .append(e.getValue()[1]).append('\n');
        }
        System.out.print(out);
        System.err.println("classes=" + classes + " options=" + options + " keys=" + KEYS.size()
                + " unreadable=" + failed);
    }
}

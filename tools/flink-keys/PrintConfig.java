/*
 * PrintConfig: print the configuration Flink itself loads from a conf dir, one
 * `key<TAB>value` line per key, sorted. Used to check that flinkha parses and renders
 * config.yaml / flink-conf.yaml exactly as Flink reads them.
 *
 * Usage (Java 17+):
 *   java -cp "$FLINK_HOME/lib/*" tools/flink-keys/PrintConfig.java <conf dir>
 *
 * It calls org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(dir) (which
 * picks config.yaml or flink-conf.yaml as that Flink version does) and prints toMap().
 * Values are escaped: backslash, tab and newline as \\, \t, \n.
 */
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

public class PrintConfig {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PrintConfig <conf dir>");
            System.exit(2);
        }
        Class<?> gc = Class.forName("org.apache.flink.configuration.GlobalConfiguration");
        Method load = gc.getMethod("loadConfiguration", String.class);
        Object conf = load.invoke(null, args[0]);
        @SuppressWarnings("unchecked")
        Map<String, String> map = (Map<String, String>) conf.getClass().getMethod("toMap").invoke(conf);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            String v = e.getValue().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
            out.append(e.getKey()).append('\t').append(v).append('\n');
        }
        System.out.print(out);
    }
}

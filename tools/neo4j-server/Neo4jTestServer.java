// Neo4jTestServer: a real Neo4j 5.26 Community DBMS for the test suite, without Docker.
//
// Why it exists: the Neo4j backend must be tested against a real server, and neither the
// developers' machines nor CI have a Docker engine. So this one file runs the embedded DBMS
// (jars from tools/neo4j-server/pom.xml) and serves Bolt on 127.0.0.1. tests/neo4j_server.py
// starts and stops it.
//
// Run (JDK 17 single-file source launcher):
//   java -cp 'tools/neo4j-server/lib/*' tools/neo4j-server/Neo4jTestServer.java \
//        --data DIR --password PW [--port 0] [--pagecache-mib 64]
// (or the password in $KB_NEO4J_PASSWORD instead of --password, to keep it out of ps and logs).
// DIR is the DBMS home (store under DIR/data, logs under DIR/logs/debug.log). Port 0 or no
// --port binds a free port. When ready, prints exactly one line `BOLT_URI=bolt://127.0.0.1:PORT`.
// Stops cleanly on SIGTERM/SIGINT, and also when stdin reaches EOF (a dead parent closes it).

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class Neo4jTestServer {
    private static final String HOST = "127.0.0.1";
    private static final String PASSWORD_ENV = "KB_NEO4J_PASSWORD";
    private static volatile DatabaseManagementService dbms; // set once started, for stop()

    public static void main(String[] args) {
        try {
            run(parseArgs(args));
        } catch (Throwable e) { // e.g. store locked, bad setting: exit, or the DBMS threads linger
            e.printStackTrace();
            System.exit(1);
        }
        // main returns; the DBMS's non-daemon threads keep the JVM alive until stop().
    }

    private static void run(Map<String, String> opts) {
        Path home = Path.of(require(opts, "--data")).toAbsolutePath();
        // --password shows in `ps` and in debug.log's dump of sun.java.command; the env var does not.
        String password = opts.getOrDefault("--password", System.getenv(PASSWORD_ENV));
        if (password == null || password.isEmpty()) {
            usage("missing --password (or $" + PASSWORD_ENV + ")");
        }
        int port = Integer.parseInt(opts.getOrDefault("--port", "0"));
        long pagecacheMib = Long.parseLong(opts.getOrDefault("--pagecache-mib", "64"));

        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jTestServer::stop, "neo4j-stop"));
        watchStdin();

        DatabaseManagementService started = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // dbms.usage_report.enabled
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                .setConfig(GraphDatabaseSettings.pagecache_memory, mib(pagecacheMib))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, mib(256))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, mib(128))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, mib(16))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Netty's default 5 s quiet period per event loop group makes every stop take ~12 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();
        dbms = started;

        setPassword(started.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        GraphDatabaseAPI db = (GraphDatabaseAPI) started.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        int boltPort = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        System.out.println("BOLT_URI=bolt://" + HOST + ":" + boltPort);
        System.out.flush();
    }

    /** Sets the password of user neo4j (embedded transactions run with full rights). */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
        } catch (RuntimeException e) {
            // A reused data dir that already has this password: Neo4j refuses "new == old".
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    /** Exits (running the shutdown hook) when stdin closes: the parent is gone or wants us gone. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() != -1) { /* ignore input */ }
            } catch (IOException ignored) {
                // treat a broken stdin like EOF
            }
            System.exit(0);
        }, "stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    /** The shutdown hook (SIGTERM, SIGINT, System.exit): checkpoints and closes the stores. */
    private static void stop() {
        DatabaseManagementService started = dbms;
        if (started != null) { // null: stopped during start, before the DBMS was up
            started.shutdown();
        }
    }

    private static long mib(long n) {
        return n * 1024 * 1024;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument: " + args[i]);
            }
            opts.put(args[i], args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null || value.isEmpty()) {
            usage("missing " + name);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("Neo4jTestServer: " + problem
                + "\nusage: Neo4jTestServer.java --data DIR [--password PW] [--port 0]"
                + "\n(the password may come from $" + PASSWORD_ENV + " instead)");
        System.exit(2);
    }
}

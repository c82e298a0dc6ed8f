// test/clients/DlpgJdbc.java -- dlpg as a BI tool sees it, through the PostgreSQL JDBC driver.
// Run by jdbc.t with Java's single-file source launcher:
//
//   java -cp /usr/share/java/postgresql.jar DlpgJdbc.java URL USER QUERIES.tsv EXPECTED_DIR
//
// Prints one "ok - ..." or "not ok - ..." line per check (jdbc.t numbers them) and "# ..."
// diagnostics:
//   - the connection (TCP: the driver has no unix sockets);
//   - DatabaseMetaData.getTables(schema dlpg, type VIEW): each of VIEWS is there with a
//     non-empty REMARKS (the COMMENT ON VIEW);
//   - DatabaseMetaData.getColumns: each of their columns has a non-empty REMARKS;
//   - each query of QUERIES.tsv through a PreparedStatement with bound parameters (NULL
//     bound with setNull), its rows equal to psql's answer in EXPECTED_DIR/<name>.out
//     (psql -A -t -F '|'; floats compared as doubles: the parsed psql text must be the very
//     double the driver returned), once on the first execution (text results) and again after
//     repeated executions (server-side prepared statement, binary results).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class DlpgJdbc {
    static final String[] VIEWS = {"x_axes", "y_axes", "axes", "axis_values", "dictionary"};
    static final String SERIES_SQL =
        "SELECT series, x, x_rank, y, n FROM dlpg.series(?, ?, ?::jsonb, ?, ?, ?)";
    // the driver switches a PreparedStatement to a named server-side statement (and binary
    // transfer of float8/int) after prepareThreshold (default 5) executions
    static final int REPEAT = 8;

    static void ok(boolean pass, String desc) {
        System.out.println((pass ? "ok - " : "not ok - ") + desc);
    }

    static void diag(String s) {
        for (String line : s.split("\n", -1)) System.out.println("# " + line);
    }

    static boolean empty(String s) {
        return s == null || s.trim().isEmpty();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: DlpgJdbc URL USER QUERIES.tsv EXPECTED_DIR");
            System.exit(2);
        }
        String url = args[0];
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("ApplicationName", "dlpg jdbc test");
        Connection conn;
        try {
            conn = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            ok(false, "JDBC connects to " + url);
            diag(e.toString());
            System.exit(1);
            return;
        }
        DatabaseMetaData md = conn.getMetaData();
        ok(true, "JDBC connects to " + url + " (" + md.getDriverName() + " " + md.getDriverVersion()
                 + ", server " + md.getDatabaseProductVersion() + ")");

        // ---- views and their comments
        Map<String, String> views = new LinkedHashMap<>();
        try (ResultSet rs = md.getTables(null, "dlpg", "%", new String[] {"VIEW"})) {
            while (rs.next()) views.put(rs.getString("TABLE_NAME"), rs.getString("REMARKS"));
        }
        for (String v : VIEWS) {
            boolean pass = views.containsKey(v) && !empty(views.get(v));
            ok(pass, "getTables(VIEW): dlpg." + v + " is listed with a comment");
            if (pass) diag("dlpg." + v + ": " + views.get(v));
            else diag("views in dlpg: " + views);
        }
        for (String v : VIEWS) {
            List<String> cols = new ArrayList<>(), bare = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, "dlpg", v, "%")) {
                while (rs.next()) {
                    String c = rs.getString("COLUMN_NAME");
                    cols.add(c);
                    if (empty(rs.getString("REMARKS"))) bare.add(c);
                }
            }
            ok(!cols.isEmpty() && bare.isEmpty(),
               "getColumns: every column of dlpg." + v + " has a comment (" + cols.size() + " columns)");
            if (cols.isEmpty()) diag("no columns for dlpg." + v);
            if (!bare.isEmpty()) diag("without a comment: " + bare);
        }

        // ---- series through a PreparedStatement
        for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            String name = f[0];
            List<String> expected = new ArrayList<>();
            Path exp = Path.of(args[3], name + ".out");
            if (Files.exists(exp)) {
                for (String l : Files.readAllLines(exp, StandardCharsets.UTF_8))
                    if (!l.isEmpty()) expected.add(l);
            }
            try (PreparedStatement ps = conn.prepareStatement(SERIES_SQL)) {
                for (int i = 1; i <= 6; i++) {
                    String v = i < f.length ? f[i] : "\\N";
                    if (v.equals("\\N")) ps.setNull(i, Types.VARCHAR);
                    else ps.setString(i, v);
                }
                List<String> first = null, last = null;
                String err = null;
                try {
                    for (int r = 0; r < REPEAT; r++) {
                        List<String> rows = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) rows.add(compareRow(rs, rows.size() < expected.size()
                                                                  ? expected.get(rows.size()) : null));
                        }
                        if (r == 0) first = rows;
                        last = rows;
                    }
                } catch (SQLException e) {
                    err = e.toString();
                }
                report(name + ": PreparedStatement rows equal psql's (first execution)",
                       first, expected, err);
                boolean serverPrepared = ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare();
                if (!serverPrepared && err == null)
                    err = "the driver did not switch to a server-side prepared statement";
                report(name + ": PreparedStatement rows equal psql's (execution " + REPEAT
                       + ", server-prepared)", last, expected, err);
            }
        }
        conn.close();
    }

    // A row as psql -A -t -F '|' prints it when it matches the expected psql line (y compared
    // as a double), else the row with the driver's own rendering of y, marked.
    static String compareRow(ResultSet rs, String expectedLine) throws SQLException {
        String series = rs.getString(1), x = rs.getString(2);
        int rank = rs.getInt(3);
        boolean rankNull = rs.wasNull();
        double y = rs.getDouble(4);
        boolean yNull = rs.wasNull();
        long n = rs.getLong(5);
        boolean nNull = rs.wasNull();
        String head = (series == null ? "" : series) + "|" + (x == null ? "" : x) + "|"
            + (rankNull ? "" : Integer.toString(rank)) + "|";
        String tail = "|" + (nNull ? "" : Long.toString(n));
        if (expectedLine != null) {
            String[] e = expectedLine.split("\\|", -1);
            if (e.length == 5 && expectedLine.startsWith(head) && expectedLine.endsWith(tail)) {
                String ey = e[3];
                boolean same;
                if (ey.isEmpty()) same = yNull;
                else {
                    try {
                        same = !yNull && Double.compare(Double.parseDouble(ey), y) == 0;
                    } catch (NumberFormatException ex) {
                        same = false;
                    }
                }
                if (same) return expectedLine;
            }
        }
        return head + (yNull ? "" : "<double " + y + ">") + tail;
    }

    static void report(String desc, List<String> got, List<String> expected, String err) {
        boolean pass = err == null && got != null && got.equals(expected);
        ok(pass, desc + " (" + expected.size() + " rows)");
        if (err != null) diag(err);
        if (!pass && got != null) {
            diag("psql:");
            for (String l : expected) diag("  " + l);
            diag("jdbc:");
            for (String l : got) diag("  " + l);
        }
    }
}

package io.nettyvirtual.testing.junit;

import io.nettyvirtual.VirtualNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The line that replays a failed test: the seed property and the Maven command that runs just that test. */
final class Replay {
    private Replay() {}

    /** {@code -Dnettyvirtual.seed=<seed>}. */
    static String seedFlag(long seed) {
        return "-D" + VirtualNetwork.SEED_PROPERTY + "=" + seed;
    }

    /** {@code Class#method} as Surefire's {@code -Dtest} takes it (nested classes as {@code Outer$Inner}). */
    static String testFilter(ExtensionContext context) {
        String cls = context.getRequiredTestClass().getName();
        String pkg = context.getRequiredTestClass().getPackageName();
        if (!pkg.isEmpty()) {
            cls = cls.substring(pkg.length() + 1);
        }
        return cls + "#" + context.getRequiredTestMethod().getName();
    }

    /** The Maven command, with {@code -pl <module> -am} when the module sits in a reactor (run it from its root). */
    static String mavenCommand(ExtensionContext context, long seed) {
        StringBuilder b = new StringBuilder("mvn -B -ntp");
        String module = reactorModule();
        if (module != null) {
            b.append(" -pl ").append(module).append(" -am");
        }
        b.append(" test");
        if (module != null) {
            b.append(" -Dsurefire.failIfNoSpecifiedTests=false");
        }
        return b.append(" -Dtest='")
                .append(testFilter(context))
                .append("' ")
                .append(seedFlag(seed))
                .toString();
    }

    /** The whole message: what failed, the seed, how to replay. */
    static String message(ExtensionContext context, long seed, String mode) {
        return "[netty-virtual] " + testFilter(context) + " (" + context.getDisplayName() + ") failed with seed "
                + seed + " (" + mode + "). Replay: " + seedFlag(seed) + System.lineSeparator()
                + "  " + mavenCommand(context, seed);
    }

    /** The module's directory name if its parent directory's pom lists it as a module, else null. */
    private static String reactorModule() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        if (basedir == null) {
            return null;
        }
        Path dir = Paths.get(basedir).toAbsolutePath().normalize();
        Path parent = dir.getParent();
        if (parent == null || dir.getFileName() == null) {
            return null;
        }
        Path pom = parent.resolve("pom.xml");
        String name = dir.getFileName().toString();
        try {
            if (Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<module>" + name + "</module>")) {
                return name;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Attached (suppressed) to a failing test's exception so the replay line appears in its report. */
    static final class Info extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Lines known only after the test (where its trace was written), appended to the message. */
        private volatile String more = "";

        Info(String message) {
            super(message, null, false, false);
        }

        /** Appends {@code line} to the message, on a line of its own. */
        void append(String line) {
            more = more + System.lineSeparator() + "  " + line;
        }

        @Override
        public String getMessage() {
            return super.getMessage() + more;
        }
    }
}

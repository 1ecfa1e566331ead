package io.ftpipe.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the ftpipe command in this JVM, the way main does, and keeps what it printed. */
record Ftpipe(int exitCode, String out, String err) {

    static Ftpipe run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new FtpipeMain());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Ftpipe(code, out.toString(), err.toString());
    }

    /** For assertion messages: everything the command said. */
    String transcript() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}

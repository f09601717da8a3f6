package org.edgeml.cli;

import org.junit.jupiter.api.Test;

/** In the launcher too, libraries logging through SLF4J (Moquette, Netty, DL4J) reach the JDK's logging. */
class Slf4jToJdkLoggingTest {
    @Test
    void moquettesSlf4jRecordsArriveAtTheJdksLogging() {
        org.edgeml.runtime.Slf4jToJdkLoggingTest.assertReachesJdkLogging("io.moquette.broker.Server");
    }
}

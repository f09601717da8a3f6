package org.edgeml.quantizer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class CCodeTest {
    @Test
    void stringLiteralsEscapeQuotesBackslashesTrigraphsAndNonAscii() {
        assertEquals("\"a\\\"b\\\\c\"", CCode.literal("a\"b\\c"));
        assertEquals("\"\\?\\?/\"", CCode.literal("??/"));
        assertEquals("\"\\303\\274 1\\011\"", CCode.literal("\u00fc 1\t"));
    }

    @Test
    void commentTextCannotEndOrNestTheCommentOrFormTrigraphs() {
        String text = CCode.commentText("a */ b /* c ??/ d ??? \u00e9");
        assertFalse(text.contains("*/") || text.contains("/*") || text.contains("??"), text);
    }

    @Test
    void fileStemsAreCIdentifiers() {
        assertEquals("fashion", CCode.fileStem("fashion"));
        assertEquals("fashion_mnist_v2", CCode.fileStem("Fashion MNIST-v2"));
        assertEquals("m784_128_10", CCode.fileStem("784-128-10"));
        assertEquals("model", CCode.fileStem("\u00e9\u00e9"));
    }

    @Test
    void int32MinHasAPortableSpelling() {
        assertEquals("(-2147483647 - 1)", CCode.intLiteral(Integer.MIN_VALUE));
        assertEquals("-5", CCode.intLiteral(-5));
    }
}

package io.deploytrack.kubernetes.internal;

/**
 * Text helpers that reproduce what kubectl (written in Go) prints, so that our messages match
 * kubectl's word for word. Not part of the public API.
 */
public final class GoText {

    private GoText() {
    }

    /**
     * Quotes a string the way Go's {@code %q} verb does for the strings Kubernetes objects carry:
     * double quotes, with backslash escapes for quotes, backslashes and control characters.
     * Printable non-ASCII characters are kept as they are, as Go keeps printable runes.
     *
     * @param s the string, {@code null} printed as Go prints an empty string
     * @return the quoted string
     */
    public static String quote(String s) {
        String text = s == null ? "" : s;
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> appendRune(out, cp);
            }
        }
        return out.append('"').toString();
    }

    private static void appendRune(StringBuilder out, int cp) {
        if (isPrintable(cp)) {
            out.appendCodePoint(cp);
        } else if (cp < 0x80) {
            out.append(String.format("\\x%02x", cp));
        } else if (cp <= 0xFFFF) {
            out.append(String.format("\\u%04x", cp));
        } else {
            out.append(String.format("\\U%08x", cp));
        }
    }

    private static boolean isPrintable(int cp) {
        if (cp < 0x20 || cp == 0x7F) {
            return false;
        }
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && (type != Character.SPACE_SEPARATOR || cp == ' ');
    }

    /**
     * Parses a base-10 signed 64-bit integer with the rules of Go's {@code strconv.ParseInt(s, 10, 64)}:
     * an optional sign and ASCII digits only.
     *
     * @param s the text
     * @return the value
     * @throws NumberFormatException with Go's error text, e.g.
     *     {@code strconv.ParseInt: parsing "abc": invalid syntax}
     */
    public static long parseInt(String s) {
        // Long.parseLong alone would accept non-ASCII digits, which Go rejects.
        if (s == null || !s.matches("[+-]?[0-9]+")) {
            throw new NumberFormatException("strconv.ParseInt: parsing " + quote(s) + ": invalid syntax");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
        }
    }
}

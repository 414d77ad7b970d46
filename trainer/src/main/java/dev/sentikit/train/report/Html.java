package dev.sentikit.train.report;

/** Escaping of text for HTML (and XML) text and attribute values. */
final class Html {

    private Html() {}

    /**
     * Escapes {@code & < > " '}, and replaces control characters that HTML does not allow (all below U+0020
     * except tab, line feed and carriage return, and U+007F to U+009F) and unpaired surrogates with U+FFFD.
     * Null becomes the empty string.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                            || (c >= 0x7f && c <= 0x9f) || c == 0xfffe || c == 0xffff) {
                        sb.append('\ufffd');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}

package com.voxroute.bench;

/**
 * The input shapes a benchmark must cover, because each exercises a different analysis path: short English
 * (Banking77), Chinese (SmartChinese words plus CJK bigrams) and long English narratives (CFPB, hundreds to
 * thousands of characters).
 */
public enum TicketShape {
    /** Short English queries, Banking77 dev (median ~47 characters). */
    ENGLISH,
    /** Chinese (Simplified and Traditional): zh-unionpay, zh-taipei-1999 and zh-gov-board dev. */
    CHINESE,
    /** Long English complaint narratives, CFPB dev (median ~800 characters, up to ~14,000). */
    LONG
}

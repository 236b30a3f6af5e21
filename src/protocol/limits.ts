/**
 * Limits of what crosses a channel or lives in the global object (SPEC R-IPC-2, R-GLOBAL). One
 * place, so the sender's check, the receiver's check and the store's check agree: a value that a
 * process may send, a child may receive and the master may keep is one that JSON can always carry.
 */

/**
 * Deepest nesting of arrays and objects in message data and in the global object (the top-level
 * object is depth 1). Far above real data, far below where JSON.stringify/parse overflow the stack.
 */
export const MAX_DATA_DEPTH = 100;

/**
 * Most values (array elements and property values, at any depth) in the data of one message.
 * Counted, not measured in bytes: the JSON-safety walk that every send and every receive already
 * makes visits each value once, so counting costs one increment per value and no second pass,
 * whereas bytes would need the serializer's own pass. What a receiver must do per message (copy,
 * check, hand to a handler) grows with the number of values, not with the length of a string
 * (strings are copied by reference), so this is the measure that bounds its work: a million values
 * is some 10–50 MB of JSON, tens of milliseconds to copy, and far above any real message.
 */
export const MAX_DATA_VALUES = 1_000_000;

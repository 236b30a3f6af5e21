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

/** The type of a class the scanner and the dependency check handle (role classes, providers, modules). */

/** Any class, abstract or not, whatever its constructor takes. */
export type Class = abstract new (...args: never[]) => object;

/**
 * An error about one input: what was wrong with which field, and how to fix it — printed as one line,
 * `<field>: <fix>`. Each kind of input (command line, parameters, environment, keeper config, chain
 * state before a deployment) has its subclass, so a caller can tell them apart.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly fix: string,
  ) {
    super(`${field}: ${fix}`);
    this.name = new.target.name;
  }
}

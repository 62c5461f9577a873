/**
 * Typed domain errors. Services throw these; the HTTP layer maps them onto the contract's
 * `{ error: { code, message } }` shape and the CLI onto one line and a non-zero exit.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInput extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'Sign in first') {
    super(401, 'unauthorized', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Not allowed for this role') {
    super(403, 'forbidden', message);
  }
}

/** Also what another user's resource looks like: it does not exist for the caller. */
export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class Unprocessable extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}

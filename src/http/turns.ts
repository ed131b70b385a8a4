/**
 * Turn-taking: the GraphQL requests of one process start one per event-loop turn, first come first served.
 *
 * Why: libuv accepts one new connection per turn of the event loop (Node 20 on Linux), and a request's work here is
 * almost all synchronous (SQLite, graphql-jit, JSON), so it runs inside the turn that read the request. Under load a
 * turn read every waiting request and ran them all, so it grew with the number of busy connections (25 of them at
 * 3–4 ms each is 100 ms), and a client that connected then waited one such turn per connection ahead of it: the
 * first requests of a new batch of 50 connections waited 2–3 s while the others were answered again and again.
 * Starting one request per turn keeps each turn to one request's work, so a new connection is accepted within
 * milliseconds and its first request queues behind at most one request per open connection.
 */
import type { NextFunction, Request, Response } from 'express';

/** A FIFO queue of jobs, of which one starts per event-loop turn (a setImmediate chain). */
export class TurnQueue {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  get length(): number { return this.waiting.length; }

  /** Queues a job; it starts on a later turn, after every job queued before it. */
  enqueue(job: () => void): void {
    this.waiting.push(job);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate queued while the check phase runs goes to the next turn: one job per turn, and the turn's poll
    // phase (accepting a connection, reading requests) comes in between.
    setImmediate(() => {
      this.scheduled = false;
      const job = this.waiting.shift();
      this.schedule();
      job?.();
    });
  }
}

/**
 * Express middleware: the request goes on once its turn comes. A request whose client has left while it waited is
 * dropped there (nothing is computed for nobody; its socket is already gone, so there is nobody to answer).
 */
export function oneRequestPerTurn(queue: Pick<TurnQueue, 'enqueue'> = new TurnQueue()): (req: Request, res: Response, next: NextFunction) => void {
  return (req, _res, next) => {
    queue.enqueue(() => {
      if (req.socket.destroyed) return;
      next();
    });
  };
}

import { RecpipeError } from "../../../core/errors.js";

/**
 * The Spark Connect server went away or stopped answering in the middle of a run: a failure of the run (exit 1), not
 * of the user's input and not of one trial. Its own class so that the tuning loop, which keeps going when one param
 * map's trial fails on its input, can never mistake a lost server for a bad param map (pipeline/tune.ts rethrows
 * anything that is not an InputError), and so the run ends at once instead of trying every remaining trial.
 */
export class ServerLostError extends RecpipeError {
  constructor(
    readonly server: string,
    /** What recpipe was doing when the server went: "fitting als (ALS) for fold 1". */
    readonly during: string,
    /** Why it counts as lost: the transport's reason, or the deadline that passed. */
    readonly reason: string,
    /** The run phase (read, split, tune, fit, ...), when the engine knows it. */
    readonly phase?: string,
  ) {
    super(
      "E_SERVER_LOST",
      `Spark Connect server ${server} was lost ${phase ? `during ${phase} ` : ""}while ${during} (${reason}); the run stopped and left no run directory; check that the server is running (a restarted server works on the next run)`,
      1,
    );
    this.name = "ServerLostError";
  }

  /** The same loss, naming the run phase it happened in (the engine adds it; the client knows only the request). */
  inPhase(phase: string | undefined): ServerLostError {
    return phase && !this.phase ? new ServerLostError(this.server, this.during, this.reason, phase) : this;
  }
}

export function isServerLost(e: unknown): e is ServerLostError {
  return e instanceof ServerLostError;
}

// A simulated network between desks and the server, for the protocol's property tests: each desk's requests go
// to the real server over loopback, but the network may be partitioned (nothing gets through), may lose a request
// before the server sees it, may lose the answer after the server acted on it, and may deliver a request twice.
// Every fault surfaces to the desk as the real transport's UnreachableError.
import { FetchTransport, UnreachableError, type HttpReply, type HttpRequest, type Transport } from '../../electron/sync/transport.ts';

export type Fault = 'none' | 'partition' | 'drop_request' | 'drop_reply' | 'duplicate';

export class SimNetwork {
  /** The fault applied to each request of a desk, in turn; 'none' when the list is used up. */
  private readonly faults = new Map<string, Fault[]>();
  private readonly partitioned = new Set<string>();
  delivered = 0;
  lost = 0;

  partition(desk: string, on: boolean): void {
    if (on) this.partitioned.add(desk);
    else this.partitioned.delete(desk);
  }

  plan(desk: string, faults: Fault[]): void {
    this.faults.set(desk, [...faults]);
  }

  heal(): void {
    this.partitioned.clear();
    this.faults.clear();
  }

  transport(desk: string, url: string): Transport {
    const real = new FetchTransport(url);
    return {
      request: async (r: HttpRequest): Promise<HttpReply> => {
        const fault = this.partitioned.has(desk) ? 'partition' : (this.faults.get(desk)?.shift() ?? 'none');
        if (fault === 'partition' || fault === 'drop_request') {
          this.lost++;
          throw new UnreachableError(`simulated network: ${fault}`);
        }
        const reply = await real.request(r);
        this.delivered++;
        if (fault === 'drop_reply') {
          this.lost++;
          throw new UnreachableError('simulated network: the answer was lost');
        }
        if (fault === 'duplicate') {
          this.delivered++;
          return real.request(r);
        }
        return reply;
      },
    };
  }
}

import type request from 'supertest';

type Http = ReturnType<typeof request>;

/** Wait for an operation to end through the API's own wait option. */
export async function waitForOperation(
  http: Http,
  operationId: string,
  timeoutS = 60,
): Promise<{ status: string; error: Record<string, unknown> | null; [k: string]: unknown }> {
  const until = Date.now() + timeoutS * 1000;
  for (;;) {
    const res = await http.get(`/api/v1/operations/${operationId}?wait=10`).expect(200);
    if (res.body.status !== 'pending' && res.body.status !== 'running') return res.body;
    if (Date.now() > until) throw new Error(`operation ${operationId} still ${res.body.status} after ${timeoutS}s`);
  }
}

export function expectProblem(res: request.Response, status: number): Record<string, unknown> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
    throw new Error(`not problem+json: ${res.headers['content-type']}`);
  return res.body;
}

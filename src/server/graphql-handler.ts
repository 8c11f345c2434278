import type { Request, Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';

/**
 * Apollo Server on an Express route, as @as-integrations/express5's expressMiddleware does it,
 * less what a GraphQL answer does not need: Express's res.send hashed every body for an ETag
 * (a SHA-1 per response, unused: POSTs are not revalidated) and parsed each URL with the
 * legacy url.parse. The body is read before (express.json), so oversized and malformed bodies
 * get the server's own errors.
 */
export function graphqlHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, context: ContextFunction<[{ req: Request; res: Response }], TContext>) {
  server.assertStarted('graphqlHandler()');
  return async (req: Request, res: Response): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.url.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query === -1 ? '' : req.url.slice(query), body: req.body },
      context: () => context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    // incremental delivery (@defer): written as Apollo yields it
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

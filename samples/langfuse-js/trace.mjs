// Sends one Langfuse-instrumented trace (a span with a generation inside) and a score to Switchyard.
// Usage: npm install && SWITCHYARD_ADMIN_KEY=... node trace.mjs [http://127.0.0.1:4000]
// Then: switchyard traces show <printed trace id> --key $SWITCHYARD_ADMIN_KEY
import { NodeSDK } from '@opentelemetry/sdk-node';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { startActiveObservation, startObservation } from '@langfuse/tracing';
import { LangfuseClient } from '@langfuse/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4000';
// Langfuse's public key can be anything; the secret key is a Switchyard key.
const keys = { publicKey: 'pk-lf-switchyard', secretKey: process.env.SWITCHYARD_ADMIN_KEY, baseUrl };
const processor = new LangfuseSpanProcessor({ ...keys, exportMode: 'immediate' });
const sdk = new NodeSDK({ spanProcessors: [processor] });
sdk.start();

let traceId;
await startActiveObservation('rag-request', async (root) => {
  traceId = root.traceId;
  root.update({ input: { question: 'What is Switchyard?' } });
  const generation = startObservation('llm-call', { model: 'gpt-4o', input: [{ role: 'user', content: 'What is Switchyard?' }] }, { asType: 'generation' });
  generation.update({ output: { role: 'assistant', content: 'An LLM gateway.' }, usageDetails: { input: 10, output: 5 } });
  generation.end();
  root.update({ output: 'done' });
});
await processor.forceFlush();
await sdk.shutdown();

const client = new LangfuseClient(keys);
client.score.create({ traceId, name: 'quality', value: 0.7 });
await client.score.flush();
console.log(traceId);

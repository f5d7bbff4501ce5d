// Reads a prompt from Switchyard's registry with the Langfuse JS SDK, unchanged, and compiles it.
// Usage: npm install && SWITCHYARD_KEY=... node prompt.mjs [http://127.0.0.1:4000] [name] [label]
// The key needs the `read` scope to get prompts and `admin` to create one: with an admin key the script
// first creates the prompt (a version is made only when its content changed), then reads it back.
// Prints one JSON line: what the SDK got and compiled.
import { LangfuseClient } from '@langfuse/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4000';
const name = process.argv[3] ?? 'movie-critic';
const label = process.argv[4] ?? 'production';
// Langfuse's public key can be anything; the secret key is a Switchyard key.
const langfuse = new LangfuseClient({ publicKey: 'pk-lf-switchyard', secretKey: process.env.SWITCHYARD_KEY, baseUrl });

if (process.env.CREATE !== '0') {
  await langfuse.prompt.create({
    name,
    type: 'text',
    prompt: 'As a {{criticLevel}} movie critic, do you like {{movie}}?',
    config: { model: 'sandbox', temperature: 0.7 },
    labels: [label],
    commitMessage: 'created by samples/langfuse-js/prompt.mjs',
  });
}

const prompt = await langfuse.prompt.get(name, { label });
const compiled = prompt.compile({ criticLevel: 'expert', movie: 'Dune 2' });

// Within the SDK's cache time (60 s by default) the second get is answered from its cache, not the server.
const again = await langfuse.prompt.get(name, { label });

console.log(JSON.stringify({
  name: prompt.name,
  version: prompt.version,
  labels: prompt.labels,
  config: prompt.config,
  compiled,
  cached: again === prompt,
}));

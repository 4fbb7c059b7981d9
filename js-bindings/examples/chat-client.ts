// mlskit/client in Node: two people chat through a running mlskit delivery service.
//
//   bin/mlskit ds --port 8080 --db sqlite:/tmp/chat.sqlite     # in another terminal
//
// Each device keeps its state in its own directory (encrypted under DIR/.storage-key); open it
// again with the same directory and the device resumes where it stopped. The package tests run
// chat() against a real DS.
import { MlsClient, type MessageEvent } from 'mlskit/client';
import { directoryStorage } from 'mlskit/client/node';

/** Ana creates a group, invites Ben and says hello; resolves to what Ben read. */
export async function chat(server: string, dir: string): Promise<string[]> {
  const ana = await MlsClient.open({ server, user: 'ana', device: 'laptop', storage: await directoryStorage(`${dir}/ana`) });
  const ben = await MlsClient.open({ server, user: 'ben', device: 'phone', storage: await directoryStorage(`${dir}/ben`) });
  try {
    const read: string[] = [];
    const joined = new Promise<string>((resolve) => ben.on('joined', ({ group }) => resolve(group)));
    const hello = new Promise<void>((resolve) => ben.on('message', (m: MessageEvent) => {
      read.push(`${m.user}/${m.device}: ${m.text}`);
      resolve();
    }));
    ben.on('error', (e) => console.error(`ben: ${e.code} ${e.message}`));
    await Promise.all([ana.ready(), ben.ready()]);

    const group = await ana.createGroup();
    await ana.invite(group, 'ben'); // every device of ben's; saved now, committed when the DS answers
    await joined;
    await ana.send(group, 'hello ben');
    await hello;

    // Compare these out of band: equal numbers mean the same group state (RFC 9420 §8.7).
    const [a, b] = await Promise.all([ana.safetyNumber(group), ben.safetyNumber(group)]);
    console.log(`safety number ${a} (${a === b ? 'equal on both' : 'DIFFERENT'})`);
    return read;
  } finally {
    await Promise.all([ana.close(), ben.close()]);
  }
}

// MLSKIT_DS_URL=http://127.0.0.1:8080 node chat-client.ts   (Node 24 runs TypeScript as is)
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
if (env.MLSKIT_DS_URL) console.log(await chat(env.MLSKIT_DS_URL, env.MLSKIT_CHAT_DIR ?? 'chat-state'));

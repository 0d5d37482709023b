/** `npm start`: run the server with the environment's configuration until SIGINT/SIGTERM. */
import { configFromEnv } from './config.ts';
import { startServer } from './server.ts';
import { DataDirLockedError } from './store/lock.ts';

async function main(): Promise<void> {
  const config = configFromEnv();
  let server;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`\nMinga cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const lines = ['', `Minga is running at ${server.url}  (data in ${config.dataDir})`, ''];
  if (server.sample) {
    lines.push('The sample workspace was created: "Plan de Trabajo para la mejora del SOVIO".');
    lines.push('Open one of these links to sign in with that role (each works on any number of devices for 30 days):', '');
    for (const invite of server.sample.invites) lines.push(`  ${invite.role.padEnd(10)} ${invite.name.padEnd(30)} ${invite.url}`);
  } else {
    const docs = server.workspace.meta.data.documents;
    lines.push('To sign in, create an invite link for yourself, for example:');
    lines.push(`  npm run -s cli -- invite --doc ${docs[0]?.id ?? '<ID>'} --role owner --name "Su nombre" --delegation "Perú · MTPE" --json`);
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\nReceived ${signal}: saving every open plan before exit…`);
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed:', (error as Error).message);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

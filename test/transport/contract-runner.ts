/** Runs the transport contract under whatever runtime executes this file; prints JSON. */
import process from "node:process";
import { detectRuntime } from "../../src/transport/index.ts";
import { runContract } from "./contract.ts";

const url = process.env.KPLAY_TEST_URL;
if (!url) throw new Error("KPLAY_TEST_URL is not set: run through npm test");
const results = await runContract(detectRuntime(), url);
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);

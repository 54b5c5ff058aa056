/** `cdk.json` entry: `npx cdk synth` (no credentials needed). */
import { createPipelineApp } from './pipeline-app.js';

createPipelineApp().synth();

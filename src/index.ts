// The action's entrypoint: nothing but run().
import { run } from './main.js'

await run()

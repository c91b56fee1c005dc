// The action's entrypoint: nothing but run().
import { run } from './action/main.js'

await run()

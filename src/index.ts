// The action's entrypoint: nothing but run().
// first: it sets a malformed GITHUB_API_URL aside for the input check's message
import './github/api-url-guard.js'
import { run } from './action/main.js'

await run()

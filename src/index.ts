// The action's entrypoint: nothing but run().
// first: it keeps a malformed GITHUB_API_URL from crashing @actions/github's import
import './github/api-url-guard.js'
import { run } from './action/main.js'

await run()

const Core = require('clustercore');

// Seed 001, 全局对象删除 (一个🌰): the seed gives the call only. Scenario of the seed: the global
// object is { key1: [0, 1, 2, 3, 4, 5] } (set by the master before it forks), then a worker runs the
// seed's call; its callback prints what it got (seed 000's form: the global object afterwards).
class AppMain extends Core.AppMain {
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    if (processId === 'M') {
      Core.ClusterCore.setGlobalObject('key1', [0, 1, 2, 3, 4, 5], (err) => {
        if (err) {
          return console.error(err);
        }
        Core.ClusterCore.fork(1);
      });
    } else {
      // The seed's call:
      Core.ClusterCore.removeGlobalObject(['key1', '0'], (err, detail) => {
        console.log(`[${processId}] remove key1[0] -> err: ${err}, detail: ${JSON.stringify(detail)}`);
      });
    }
  }
}

Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();

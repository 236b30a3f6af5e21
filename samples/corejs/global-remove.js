const Core = require('clustercore');

class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // 主进程中创建键名为processDetail.M的field存储其进程pid
    if (processId === 'M') {
      // 首先创建键名processDetail指向的field
      Core.ClusterCore.setGlobalObject('processDetail', {}, (err) => {
        if (err) {
          return;
        }
        // 在创建首层field成功后写入主进程的pid并派生子进程
        Core.ClusterCore.setGlobalObject(['processDetail', 'M'], process.pid);
        Core.ClusterCore.fork(4);
      });

      // 尝试删除全局对象中的field
      setTimeout(()=>{
        // 移除processDetail.M指向的field
        Core.ClusterCore.removeGlobalObject(['processDetail', 'M'], (err, globalObject) => {
          !err && console.log(`移除processDetail.M后的全局对象 -> ${JSON.stringify(globalObject)}`);
        });
        // 移除processDetail指向的field
        Core.ClusterCore.removeGlobalObject('processDetail', (err, globalObject) => {
          !err && console.log(`移除processDetail后的全局对象 -> ${JSON.stringify(globalObject)}`);
        });
      }, 1000);
    }
    // 子进程中创建键名为processDetail.[进程偏移]的field存储其进程pid
    else {
      const processOffset = processId.split(':').pop();
      Core.ClusterCore.setGlobalObject(['processDetail', processOffset], process.pid);
    }
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
